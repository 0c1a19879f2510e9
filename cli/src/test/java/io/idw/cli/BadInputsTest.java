package io.idw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.DeltaIO;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cheapest of scripts/fault-inputs.sh, through {@code idw ingest}: broken extracts end in
 * quarantine rows with rows in = loaded + quarantined (counted from the tables) or in a one-line
 * refusal that writes nothing, never a stack trace; a missing, wrongly keyed or corrupted key set
 * refuses before anything is read.
 */
class BadInputsTest {
  static final String SRC = "ae_attendances";
  static final String MONTH = "2021-04";
  @TempDir static Path tmp;
  static Path sample;
  static Path keyset;
  static Path kek;
  static List<String> original;

  @BeforeAll
  static void sampleAndKeys() throws Exception {
    TestSpark.session();
    sample = tmp.resolve("sample");
    MainTest.Result g = MainTest.run("generate", "--people", "400", "--months", "1", "--start", MONTH, "--seed", "5",
        "--out", sample.toString());
    assertThat(g.exit()).as(g.err()).isZero();
    kek = tmp.resolve("kek");
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    Files.writeString(kek, Base64.getEncoder().encodeToString(k));
    keyset = tmp.resolve("keys.json");
    MainTest.Result kc = MainTest.run("keys", "create", "--test", "--keyset", keyset.toString(), "--kek-file", kek.toString());
    assertThat(kc.exit()).as(kc.err()).isZero();
    original = Files.readAllLines(extract(sample), StandardCharsets.UTF_8);
    assertThat(original.size()).isGreaterThan(2);
  }

  static Path extract(Path input) {
    return input.resolve("raw").resolve(SRC).resolve(MONTH).resolve(SRC + "_" + MONTH + ".csv");
  }

  /** A copy of the sample (specs, reference) whose one extract is {@code content}. */
  static Path caseInput(String name, byte[] content) throws Exception {
    Path in = tmp.resolve("case-" + name);
    Files.createDirectories(extract(in).getParent());
    for (String d : List.of("specs", "reference")) {
      Path from = sample.resolve(d);
      try (var files = Files.walk(from)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path to = in.resolve(d).resolve(from.relativize(f).toString());
          Files.createDirectories(to.getParent());
          Files.copy(f, to);
        }
      }
    }
    Files.write(extract(in), content);
    return in;
  }

  static byte[] lines(UnaryOperator<List<String>> edit) {
    return (String.join("\n", edit.apply(new ArrayList<>(original))) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Ingests one broken extract; returns the outcome with its row counts. */
  static MainTest.Result assertLoadedOrRefused(String name, byte[] content, long rowsIn) throws Exception {
    Path in = caseInput(name, content);
    Path wh = tmp.resolve("wh-" + name);
    MainTest.Result r = MainTest.run("ingest", "--input", in.toString(), "--source", SRC, "--month", MONTH,
        "--warehouse", wh.toString(), "--keyset", keyset.toString(), "--kek-file", kek.toString());
    String all = r.out() + r.err();
    assertThat(all).as(name).doesNotContain("\tat ").doesNotContain("Exception in thread");
    SparkSession spark = TestSpark.session();
    if (r.exit() == 0) {
      Warehouse w = Warehouse.open(wh);
      long loaded = DeltaIO.read(spark, w.table(Zone.PSEUDONYMISED, SRC)).count();
      var q = w.table(Zone.QUARANTINE, SRC);
      long quarantined = DeltaIO.exists(spark, q) ? DeltaIO.read(spark, q).count() : 0;
      assertThat(loaded + quarantined).as(name + ": rows in = loaded + quarantined; " + all).isEqualTo(rowsIn);
      assertThat(r.out()).as(name).contains("rows in");
    } else {
      assertThat(r.exit()).as(name + ": " + all).isEqualTo(Main.EXIT_REFUSED);
      assertThat(r.errLines()).as(name).hasSize(1);
      assertThat(r.err()).as(name).startsWith("idw: ");
      assertThat(wh.resolve("pseudonymised").resolve(SRC).resolve("_delta_log")).as(name + " wrote nothing").doesNotExist();
    }
    return r;
  }

  @Test
  void brokenExtractsAreQuarantinedOrRefusedWithOneLine() throws Exception {
    int data = original.size() - 1;
    assertThat(assertLoadedOrRefused("empty_file", new byte[0], 0).err()).contains("is empty");
    assertLoadedOrRefused("header_only", lines(l -> l.subList(0, 1)), 0);
    assertLoadedOrRefused("wrong_delimiter", lines(l -> l.stream().map(s -> s.replace(',', ';')).toList()), data);
    assertLoadedOrRefused("missing_column", lines(l -> l.stream().map(s -> {
      String[] f = s.split(",", -1);
      List<String> kept = new ArrayList<>(List.of(f));
      kept.remove(3);
      return String.join(",", kept);
    }).toList()), data);
    byte[] nonUtf8 = lines(l -> l);
    byte[] bad = new byte[nonUtf8.length + 2];
    int cut = original.get(0).length() + 1 + original.get(1).length() / 2;
    System.arraycopy(nonUtf8, 0, bad, 0, cut);
    bad[cut] = (byte) 0xff;
    bad[cut + 1] = (byte) 0xfe;
    System.arraycopy(nonUtf8, cut, bad, cut + 2, nonUtf8.length - cut);
    // bytes that are not UTF-8 in a data row: that row is quarantined with the reason, the rest load
    MainTest.Result r = assertLoadedOrRefused("non_utf8", bad, data);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    List<String> reasons = DeltaIO.read(TestSpark.session(), Warehouse.open(tmp.resolve("wh-non_utf8"))
        .table(Zone.QUARANTINE, SRC)).select("reason").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(reasons).hasSize(1).allMatch(x -> x.contains("not valid UTF-8"));
    // ...and in the header line: the columns cannot be named, so the extract is refused
    byte[] badHeader = nonUtf8.clone();
    badHeader[1] = (byte) 0xff;
    MainTest.Result h = assertLoadedOrRefused("non_utf8_header", badHeader, data);
    assertThat(h.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(h.err()).contains("header line").contains("not valid UTF-8");
  }

  @Test
  void aMissingWrongOrCorruptKeySetRefusesAndWritesNothing() throws Exception {
    Path wrongKek = tmp.resolve("wrong-kek");
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    Files.writeString(wrongKek, Base64.getEncoder().encodeToString(k));
    String text = Files.readString(keyset);
    Path corrupt = tmp.resolve("corrupt.json");
    int mid = text.length() / 2;
    Files.writeString(corrupt, text.substring(0, mid) + "AAAAAAAA" + text.substring(mid + 8));
    List<List<String>> cases = List.of(
        List.of("--keyset", tmp.resolve("none.json").toString(), "--kek-file", kek.toString()),
        List.of("--keyset", keyset.toString(), "--kek-file", wrongKek.toString()),
        List.of("--keyset", corrupt.toString(), "--kek-file", kek.toString()));
    int i = 0;
    for (List<String> keyArgs : cases) {
      Path wh = tmp.resolve("wh-keys-" + i++);
      List<String> args = new ArrayList<>(List.of("ingest", "--input", sample.toString(), "--source", SRC,
          "--warehouse", wh.toString()));
      args.addAll(keyArgs);
      MainTest.Result r = MainTest.run(args.toArray(String[]::new));
      assertThat(r.exit()).as(keyArgs + ": " + r.out() + r.err()).isEqualTo(Main.EXIT_REFUSED);
      assertThat(r.errLines()).as(keyArgs.toString()).hasSize(1);
      assertThat(r.out() + r.err()).doesNotContain("\tat ").doesNotContain(Files.readString(kek).strip());
      assertThat(wh.resolve("pseudonymised").resolve(SRC)).doesNotExist();
    }
  }
}
