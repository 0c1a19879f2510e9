package io.idw.cli.demo;

import io.idw.core.IdwException;
import io.idw.core.Zone;
import io.idw.pseudonymise.Kek;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.KeySetStore;
import io.idw.sampledata.GenerateResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Instead of generate, ingest and link ({@code idw demo --reuse}): picks up the sample data, the key
 * set and the linked zone an earlier demo run left in the same warehouse and work directory, so the
 * analyses (governed session onward) can be re-run, and timed, on their own. Refuses, saying what
 * is missing, when there is nothing to reuse.
 */
public final class ReuseStep implements DemoStep {
  @Override
  public String title() {
    return "reusing the sample data, key set and linked zone of an earlier demo run";
  }

  @Override
  public void run(DemoContext ctx) {
    Path sample = ctx.workDir().resolve("sample");
    Path keysetFile = ctx.workDir().resolve("keys").resolve("idw-keyset.json");
    Path kekFile = ctx.workDir().resolve("keys").resolve("demo-kek.b64");
    for (Path p : List.of(sample.resolve("reference"), sample.resolve("truth").resolve("effects.json"), keysetFile, kekFile)) {
      if (!Files.exists(p)) {
        throw missing(p + " does not exist");
      }
    }
    if (ctx.warehouse().tables(Zone.LINKED).isEmpty()) {
      throw missing("the warehouse's linked zone is empty");
    }
    KeySet keys = KeySetStore.read(keysetFile, Kek.resolve(kekFile));
    GenerateResult g = new GenerateResult(sample, List.of(), ctx.seed(), ctx.people(), 0, Map.of(), Map.of(), Map.of(), 0);
    ctx.put(SampleDataStep.RESULT, g);
    ctx.put(PseudonymiseStep.KEYS, keys);
    ctx.say("sample data %s; key set %s (primary %s); %d linked tables", sample, keysetFile, keys.primaryId(),
        ctx.warehouse().tables(Zone.LINKED).size());
  }

  private static IdwException missing(String why) {
    return new IdwException("demo.reuse.nothing", "there is no earlier demo run to reuse", why,
        "run ./idw demo with the same --warehouse once without --reuse");
  }
}
