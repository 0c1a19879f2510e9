package io.idw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.Warehouse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command line's contract: exit codes, one-line errors that say what to do, help everywhere. */
class MainTest {
  @TempDir Path tmp;

  record Result(int exit, String out, String err) {
    /** The error output's lines, ignoring a trailing newline. */
    List<String> errLines() {
      return err.isBlank() ? List.of() : err.strip().lines().toList();
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(args);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void wrongOptionIsOneLineSayingWhereHelpIs() {
    Result r = run("warehouse", "status", "--bogus");
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.errLines()).singleElement().asString()
        .startsWith("idw: ")
        .contains("--bogus")
        .contains("'idw warehouse status --help'");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownCommandIsOneLine() {
    Result r = run("no-such-command");
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.errLines()).singleElement().asString().contains("no-such-command").contains("'idw --help'");
  }

  @Test
  void noCommandIsARefusal() {
    Result r = run();
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.errLines()).singleElement().asString().contains("a command is required");
  }

  @Test
  void missingWarehouseIsOneLineSayingHowToCreateOne() {
    Path none = tmp.resolve("no-warehouse-here");
    Result r = run("warehouse", "status", "--warehouse", none.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.errLines()).singleElement().asString()
        .startsWith("idw: no warehouse at " + none)
        .contains("Fix: create one with 'idw warehouse init --warehouse " + none + "'");
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void linkQualityWithoutItsTruthFileIsOneLineSayingWhichFile() {
    Path wh = tmp.resolve("wh");
    Warehouse.create(wh);
    Path truth = tmp.resolve("truth").resolve("record_person.csv");
    Result r = run("link", "quality", "--warehouse", wh.toString(), "--truth", truth.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.errLines()).singleElement().asString()
        .startsWith("idw: no truth file at " + truth)
        .contains("truth/record_person.csv");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void verboseShowsTheStackTrace() {
    Path none = tmp.resolve("no-warehouse-here");
    Result r = run("--verbose", "warehouse", "status", "--warehouse", none.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.errLines().get(0)).startsWith("idw: no warehouse at ");
    assertThat(r.err()).contains("io.idw.core.IdwException").contains("\tat io.idw.core.Warehouse.open");

    Result opt = run("warehouse", "status", "--bogus", "--verbose");
    assertThat(opt.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(opt.err()).contains("UnmatchedArgumentException").contains("\tat picocli.");
  }

  @Test
  void initThenStatusSucceed() {
    Path wh = tmp.resolve("wh");
    Result init = run("warehouse", "init", "--warehouse", wh.toString());
    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(init.out()).contains("warehouse ready at " + wh);
    assertThat(Warehouse.exists(wh)).isTrue();

    Result status = run("warehouse", "status", "--warehouse", wh.toString());
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("warehouse " + wh).contains("1 records, chain intact");
    assertThat(status.err()).isEmpty();
  }

  @Test
  void anEditedAuditLogIsReportedAndStatusFails() throws Exception {
    Path wh = tmp.resolve("wh");
    assertThat(run("warehouse", "init", "--warehouse", wh.toString()).exit()).isZero();
    Path log = io.idw.core.audit.AuditLog.of(Warehouse.open(wh)).file();
    String original = java.nio.file.Files.readString(log);
    assertThat(original).contains("warehouse.init");
    java.nio.file.Files.writeString(log, original.replace("warehouse.init", "warehouse.xxxx"));
    Result r = run("warehouse", "status", "--warehouse", wh.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.out()).contains("CHAIN BROKEN at 0").contains("edited");
  }

  @Test
  void initRefusesADirectoryThatIsNotAWarehouse() throws Exception {
    Path dir = tmp.resolve("busy");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve("something.txt"), "not a warehouse");
    Result r = run("warehouse", "init", "--warehouse", dir.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.errLines()).singleElement().asString().contains("Fix: ");
  }

  @Test
  void versionPrintsIdwAndJava() {
    Result r = run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("idw ").contains("Java " + System.getProperty("java.version"));
  }

  /** Every command and subcommand, as the words that name it (for example [warehouse, init]). */
  static Stream<List<String>> allCommands() {
    List<List<String>> out = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), out);
    return out.stream();
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cl.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandName().equals(name)) { // skip aliases
        List<String> p = new ArrayList<>(path);
        p.add(name);
        collect(sub, p, out);
      }
    });
  }

  @ParameterizedTest(name = "idw {0} --help")
  @MethodSource("allCommands")
  void everyCommandHasHelp(List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.add("--help");
    Result r = run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    String qualified = Stream.concat(Stream.of("idw"), command.stream()).collect(java.util.stream.Collectors.joining(" "));
    assertThat(r.out()).startsWith("Usage: " + qualified);
    CommandLine cl = Main.commandLine();
    for (String c : command) {
      cl = cl.getSubcommands().get(c);
    }
    assertThat(cl.getCommandSpec().usageMessage().description())
        .as("'%s' describes itself", qualified).isNotEmpty();
    assertThat(oneSpaced(r.out())).contains(oneSpaced(cl.getCommandSpec().usageMessage().description()[0]));
  }

  private static String oneSpaced(String s) {
    return s.replaceAll("\\s+", " ");
  }

  @Test
  void helpListsTheCommands() {
    assertThat(allCommands().map(c -> String.join(" ", c)))
        .contains("demo", "warehouse", "warehouse init", "warehouse status");
  }

  @Test
  void aFullDiskIsNamedWithItsCauseAndFixNotSparksRawMessage() {
    Exception spark = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 521.0 failed 1 times",
        new java.io.IOException("No space left on device"));
    String m = Main.failureMessage("link", spark, false);
    assertThat(m).startsWith("idw: link failed: the disk ran out of space.")
        .contains("Cause:", "spark.local.dir", "Fix:", "-Dspark.local.dir=")
        .doesNotContain("stage 521").doesNotContain("\n");
    String other = Main.failureMessage("link", new RuntimeException("boom\nsecond line"), false);
    assertThat(other).isEqualTo("idw: link failed: boom (run again with --verbose for the stack trace)");
  }

  @Test
  void aConcurrentDeltaCommitIsNamedWithItsCauseAndFix() {
    Exception conflict = new RuntimeException("wrapped",
        new io.delta.exceptions.ConcurrentAppendException("[DELTA_CONCURRENT_APPEND] Files were added to partition [] by a"
            + " concurrent update.\nRefer to https://docs.delta.io/concurrency-control for more details."));
    String m = Main.failureMessage("ingest", conflict, false);
    assertThat(m).startsWith("idw: ingest failed: another job wrote the same table at the same time")
        .contains("(ConcurrentAppendException)", "Cause:", "Fix:", "run the command again").doesNotContain("\n");
  }
}
