package io.idw.cli.demo;

import io.idw.pseudonymise.Ingest;
import io.idw.pseudonymise.IngestResult;
import io.idw.pseudonymise.Kek;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.KeySetStore;
import io.idw.pseudonymise.SecretAccess;
import io.idw.sampledata.GenerateResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Ingests every generated source and month into the pseudonymised zone. Creates (or, on a re-run,
 * reopens) a test key set in {@code <work>/keys/} under a KEK the demo generates and keeps beside
 * it; a real deployment keeps the KEK in a secret store or {@code $IDW_KEK}, never beside the keys.
 * Stores {@link #KEYS} (the {@link KeySet}), {@link #KEYSET_FILE}, {@link #KEK_FILE} and
 * {@link #RESULTS} (the {@code List<IngestResult>}) for later steps.
 */
public final class PseudonymiseStep implements DemoStep {
  public static final String KEYS = "keys";
  public static final String KEYSET_FILE = "keyset_file";
  public static final String KEK_FILE = "kek_file";
  public static final String RESULTS = "ingest";

  @Override
  public String title() {
    return "pseudonymising the extracts (keyed pseudonyms, encodings, quarantine, quality profile)";
  }

  @Override
  public void run(DemoContext ctx) {
    GenerateResult sample = ctx.get(SampleDataStep.RESULT, GenerateResult.class)
        .orElseThrow(() -> new IllegalStateException("the sample-data step must run first"));
    Path keyDir = ctx.workDir().resolve("keys");
    Path kekFile = keyDir.resolve("demo-kek.b64");
    Path keysetFile = keyDir.resolve("idw-keyset.json");
    KeySet keys;
    if (Files.exists(keysetFile) && Files.exists(kekFile)) {
      keys = KeySetStore.read(keysetFile, Kek.resolve(kekFile));
      ctx.say("reusing key set %s (primary %s)", keysetFile, keys.primaryId());
    } else {
      Kek kek = Kek.generate();
      kek.writeTo(kekFile, SecretAccess.insecureSecretAccess());
      keys = KeySet.generate(true);
      KeySetStore.create(keys, keysetFile, kek);
      ctx.say("created test key set %s (primary %s), encrypted under a generated KEK", keysetFile, keys.primaryId());
    }
    List<IngestResult> results = Ingest.builder().warehouse(ctx.warehouse()).keySet(keys).input(sample.outDir())
        .build().runAll(ctx.spark());
    long in = 0;
    long loaded = 0;
    long quarantined = 0;
    for (IngestResult r : results) {
      ctx.say("%-26s %d months: rows in %,9d = loaded %,9d + quarantined %,7d", r.source(), r.months().size(),
          r.rowsIn(), r.loaded(), r.quarantined());
      in += r.rowsIn();
      loaded += r.loaded();
      quarantined += r.quarantined();
    }
    ctx.say("total: rows in %,d = loaded %,d + quarantined %,d", in, loaded, quarantined);
    results.forEach(r -> ctx.say("time %s", r.timingLine()));
    ctx.put(KEYS, keys);
    ctx.put(KEYSET_FILE, keysetFile);
    ctx.put(KEK_FILE, kekFile);
    ctx.put(RESULTS, results);
    ctx.output("key set", keysetFile);
    ctx.output("quality profiles", ctx.warehouse().zonePath(io.idw.core.Zone.AUDIT).resolve(Ingest.DATA_QUALITY_JSON));
  }
}
