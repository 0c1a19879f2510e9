package io.idw.cli.demo;

import io.idw.core.audit.AuditEvent;
import io.idw.sampledata.GenerateResult;
import io.idw.sampledata.SampleData;
import io.idw.sampledata.Sources;

/**
 * Generates the synthetic KID the rest of the demo uses: {@code ctx.people()} people over 36
 * months from 2021-04 (the falls service launches in the middle, 2022-10), default dirt and
 * effects, into {@code <work>/sample}. Stores the {@link GenerateResult} as {@code "sample"}.
 */
public final class SampleDataStep implements DemoStep {
  public static final String RESULT = "sample";

  @Override
  public String title() {
    return "generating synthetic Kent Integrated Dataset extracts";
  }

  @Override
  public void run(DemoContext ctx) {
    GenerateResult r = SampleData.generator()
        .people(ctx.people()).seed(ctx.seed())
        .out(ctx.workDir().resolve("sample"))
        .build()
        .run(ctx.spark());
    ctx.say("%s", r.summary());
    for (String s : Sources.ALL) {
      ctx.say("%-26s %,10d rows", s, r.rows(s));
    }
    ctx.say("truth (record -> person, planted effects) in %s", r.truthDir());
    ctx.audit().append(AuditEvent.builder().action("sample.generate").decision(AuditEvent.OK)
        .resource(r.outDir().toString()).rows(r.totalRows())
        .detail("people", r.people()).detail("seed", r.seed()).build());
    ctx.put(RESULT, r);
    ctx.output("sample data", r.outDir());
  }
}
