package io.idw.cli.demo;

import io.idw.linkage.KidQuality;
import io.idw.linkage.LinkageJob;
import io.idw.sampledata.GenerateResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Links the ingested pseudonymised tables into the linked zone (deterministic on verified NHS
 * pseudonyms, Fellegi-Sunter on encodings for the rest, a person spine with stable ids) and prints
 * linkage quality against the sample truth.
 */
public final class LinkageStep implements DemoStep {
  @Override
  public String title() {
    return "linking records per person (deterministic + Fellegi-Sunter on encodings) into the person spine";
  }

  @Override
  public void run(DemoContext ctx) {
    if (LinkageJob.sourceTables(ctx.spark(), ctx.warehouse()).isEmpty()) {
      ctx.say("no pseudonymised record tables in the warehouse yet: nothing to link");
      return;
    }
    LinkageJob.Result r = LinkageJob.builder().warehouse(ctx.warehouse()).build().run(ctx.spark());
    ctx.say("%,d records -> %,d people: %,d deterministic edges, %,d probabilistic links accepted, %d conflicts recorded",
        r.records(), r.people(), r.deterministicEdges(), r.acceptedLinks(), r.conflicts());
    r.blocking().forEach(b -> ctx.say("blocking rule %d %s: %,d comparisons", b.matchKey(), b.blockingRule(), b.comparisons()));
    ctx.put("linkage", r);
    ctx.get(SampleDataStep.RESULT, GenerateResult.class).ifPresent(g -> {
      Path truth = g.outDir().resolve("truth").resolve("record_person.csv");
      if (Files.isRegularFile(truth)) {
        KidQuality.Report q = KidQuality.evaluate(ctx.spark(), ctx.warehouse(), truth);
        for (String line : q.summary().split("\n")) {
          ctx.say("%s", line);
        }
        Path dir = ctx.workDir().resolve("linkage");
        q.write(dir);
        ctx.output("linkage quality", dir.resolve("linkage_quality.json"));
      }
    });
  }
}
