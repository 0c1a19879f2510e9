package io.idw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cli.demo.KnownOutputs;
import io.idw.cohort.its.ItsResult;
import io.idw.cohort.matched.MatchedCohortResult;
import io.idw.core.IdwMappers;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.core.audit.AuditRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code idw release} on small result files of the forms {@code idw evaluate kid --out} writes
 * (built in the test, no Spark): checks under the approved demo agreement's profile, release or
 * refusal with the reason, audit, and the person-level pairs never leaving.
 */
class ReleaseCommandTest {
  @TempDir Path tmp;
  Warehouse w;
  Path agreement;
  Path results;

  @BeforeEach
  void approvedWarehouse() throws Exception {
    w = Warehouse.create(tmp.resolve("wh"));
    agreement = GovernanceCommandsTest.demoAgreement();
    MainTest.Result ok = MainTest.run("policy", "approve", agreement.toString(), "--warehouse", w.root().toString(),
        "--by", "gina", "--at", "2026-01-01");
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    results = Files.createDirectories(tmp.resolve("results"));
  }

  MainTest.Result release(String... extra) {
    List<String> a = new ArrayList<>(List.of("release", "--warehouse", w.root().toString(), "--agreement",
        agreement.toString(), "--results", results.toString(), "--by", "ana"));
    a.addAll(List.of(extra));
    return MainTest.run(a.toArray(String[]::new));
  }

  /** Pairs of person pseudonyms, and the sizes they imply (every unmatched count 0 or at least 10). */
  static MatchedCohortResult matched(int pairs, int outsideCaliper, List<MatchedCohortResult.SubgroupEffects> groups) {
    List<MatchedCohortResult.Pair> ps = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      ps.add(new MatchedCohortResult.Pair(i + 1, null, "person-t-" + i, "person-c-" + i, 0.3, 0.31));
    }
    var sizes = new MatchedCohortResult.Sizes(pairs + outsideCaliper, 20L * pairs, pairs, pairs, 0, outsideCaliper,
        pairs);
    return new MatchedCohortResult("kid_home_safety_visits", "nearest neighbour", null, sizes, null, null, List.of(),
        null, groups, ps, null);
  }

  Path writeMatched(MatchedCohortResult r) {
    Path f = results.resolve(ReleaseCommand.matchedFile());
    r.writeJson(f);
    return f;
  }

  /** A controlled ITS result: 24 months (interruption at month 12) of an intervention and a control series. */
  static ItsResult its(java.util.function.IntUnaryOperator count) {
    YearMonth start = YearMonth.of(2023, 1);
    List<ItsResult.SeriesRow> rows = new ArrayList<>();
    for (String g : List.of("intervention", "control")) {
      for (int m = 0; m < 24; m++) {
        double c = count.applyAsInt(m);
        rows.add(new ItsResult.SeriesRow(start.plusMonths(m).toString(), g, m >= 12, true, c, 10000.0, c, c,
            c / 10000 * 100000, c / 10000 * 100000, c / 10000 * 100000));
      }
    }
    var method = new ItsResult.Method("quasipoisson", "irls", "2024-01", 0, "2024-01", true, 0, null, "wald",
        "pearson", null, null, null, 100000.0, null);
    return new ItsResult("falls_service_cits", "test series", "controlled_its", method,
        new ItsResult.Fit(48, 8, 40, 1.0, null, null, 4), null, null, null, List.of(), List.of(), rows, null,
        new ItsResult.Provenance("cd".repeat(32), "test", "2026-01-01T00:00:00Z",
            List.of(new ItsResult.Input("linked.falls_service", 3L, null, 480L)),
            new ItsResult.Agreement("kid-falls-evaluation", "1.0", "ab".repeat(32), "falls-service-evaluation")),
        ItsResult.TOO_FEW_EVENTS + ": test");
  }

  List<AuditEvent> releaseAudit() {
    return AuditLog.of(w).read().stream().map(AuditRecord::event)
        .filter(e -> e.action().equals("governance.release")).toList();
  }

  static String allFiles(Path dir) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        b.append(Files.readString(p));
      }
    }
    return b.toString();
  }

  @Test
  void aPassingOutputIsReleasedWithoutItsPairsAndAudited() throws Exception {
    MatchedCohortResult r = matched(60, 20, null);
    writeMatched(r);
    ItsResult monthly = its(m -> 20 + m % 7);
    monthly.writeJson(results.resolve(ReleaseCommand.ITS_FILE));

    MainTest.Result out = release();
    assertThat(out.exit()).as(out.out() + out.err()).isZero();
    assertThat(out.out()).contains("2 of 2 outputs released");

    Path dir = w.zonePath(Zone.RELEASE).resolve(KnownOutputs.MATCHED_NAME);
    JsonNode released = IdwMappers.json().readTree(dir.resolve("result.json").toFile());
    assertThat(r.pairs()).hasSize(60);
    assertThat(released.path("pairs").isArray()).isTrue();
    assertThat(released.path("pairs")).isEmpty();
    assertThat(released.path("sizes").path("treated_matched").asLong()).isEqualTo(r.sizes().treatedMatched());
    String zone = allFiles(w.zonePath(Zone.RELEASE));
    for (MatchedCohortResult.Pair p : r.pairs()) {
      assertThat(zone).doesNotContain(p.treatedId()).doesNotContain(p.controlId());
    }
    assertThat(IdwMappers.json().readTree(dir.resolve("disclosure.json").toFile()).path("status").asText())
        .isEqualTo("pass");

    // monthly counts of at least 10 are released by month, unchanged
    ItsResult its = ItsResult.readJson(w.zonePath(Zone.RELEASE).resolve(KnownOutputs.ITS_NAME).resolve("result.json"));
    assertThat(its.periodMonths()).isEqualTo(1);
    assertThat(its.series()).isEqualTo(monthly.series());

    List<AuditEvent> audit = releaseAudit();
    assertThat(audit).extracting(AuditEvent::resource, AuditEvent::decision, AuditEvent::user).containsExactly(
        org.assertj.core.groups.Tuple.tuple("release." + KnownOutputs.MATCHED_NAME, AuditEvent.ALLOW, "ana"),
        org.assertj.core.groups.Tuple.tuple("release." + KnownOutputs.ITS_NAME, AuditEvent.ALLOW, "ana"));
    assertThat(AuditLog.of(w).verify().intact()).isTrue();
    assertThat(results.resolve("NOT-RELEASED.txt")).doesNotExist();
  }

  @Test
  void smallMonthlyCountsAreReleasedInCoarserPeriods() throws Exception {
    // 3 to 8 events a month: every month is below the threshold of 10, every quarter (9 to 24) is not
    ItsResult monthly = its(m -> 3 + m % 6);
    monthly.writeJson(results.resolve(ReleaseCommand.ITS_FILE));
    Path reports = tmp.resolve("reports");
    MainTest.Result out = release("--reports", reports.toString());
    assertThat(out.exit()).as(out.out() + out.err()).isZero();
    assertThat(out.out()).contains("1 of 1 outputs released, 1 reports written");
    try (Stream<Path> html = Files.list(reports)) {
      Path report = html.filter(p -> p.toString().endsWith(".html")).findFirst().orElseThrow();
      assertThat(Files.readString(report)).contains("falls");
    }
    assertThat(AuditLog.of(w).read()).extracting(x -> x.event().action()).contains("report.render");
    ItsResult its = ItsResult.readJson(w.zonePath(Zone.RELEASE).resolve(KnownOutputs.ITS_NAME).resolve("result.json"));
    assertThat(its.periodMonths()).isEqualTo(3);
    for (ItsResult.SeriesRow q : its.series()) {
      double sum = monthly.series().stream().filter(m -> m.group().equals(q.group())
          && !YearMonth.parse(m.month()).isBefore(YearMonth.parse(q.month()))
          && YearMonth.parse(m.month()).isBefore(YearMonth.parse(q.month()).plusMonths(3)))
          .mapToDouble(ItsResult.SeriesRow::observed).sum();
      assertThat(q.observed()).isEqualTo(sum).isGreaterThanOrEqualTo(10);
    }
    assertThat(out.out()).contains("quarters");
  }

  @Test
  void aReviewOutputIsRefusedWithoutANamedCheckerAndReleasedWithOne() throws Exception {
    // a subgroup whose matched people are all treated: a cell holding 100% of its row needs review
    var all = new MatchedCohortResult.SubgroupEffects("aged_65_79", "people aged 65 to 79", "age < 80", 40L, 40L, null,
        null);
    var skewed = new MatchedCohortResult.SubgroupEffects("aged_80_plus", "people aged 80 and over", "age >= 80", 20L, 0L,
        null, null);
    writeMatched(matched(60, 0, List.of(all, skewed)));

    MainTest.Result refused = release();
    assertThat(refused.exit()).as(refused.out() + refused.err()).isZero();
    assertThat(refused.out()).contains("review")
        .containsPattern(KnownOutputs.MATCHED_NAME + " +NOT released: output " + KnownOutputs.MATCHED_NAME)
        .contains("no exception from a named checker").contains("0 of 1 outputs released");
    assertThat(w.zonePath(Zone.RELEASE).resolve(KnownOutputs.MATCHED_NAME)).doesNotExist();
    Path note = results.resolve("NOT-RELEASED.txt");
    assertThat(Files.readString(note)).contains(KnownOutputs.MATCHED_NAME).contains("no exception from a named checker");
    assertThat(releaseAudit()).singleElement().extracting(AuditEvent::decision).isEqualTo(AuditEvent.DENY);

    MainTest.Result self = release("--checker", "ana", "--reason", "whole-group totals");
    assertThat(self.out()).contains("someone other than the releaser").contains("0 of 1 outputs released");

    MainTest.Result ok = release("--checker", "olu", "--reason", "totals of whole age groups are not disclosive");
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("exception recorded by 'olu'").contains("1 of 1 outputs released");
    JsonNode manifest = IdwMappers.json().readTree(w.zonePath(Zone.RELEASE).resolve(KnownOutputs.MATCHED_NAME)
        .resolve("disclosure.json").toFile());
    assertThat(manifest.path("status").asText()).isEqualTo("review");
    assertThat(manifest.path("exception").path("checker").asText()).isEqualTo("olu");
    AuditEvent last = releaseAudit().get(releaseAudit().size() - 1);
    assertThat(last.decision()).isEqualTo(AuditEvent.ALLOW);
    assertThat(last.details()).containsEntry("exception_checker", "olu");
  }

  @Test
  void anEditedOrUnapprovedAgreementIsRefusedAndAudited() throws Exception {
    writeMatched(matched(60, 20, null));
    Path edited = tmp.resolve("edited.yaml");
    Files.writeString(edited, Files.readString(agreement).replace("Evaluate whether the community falls prevention service",
        "Evaluate whether ANY service"));
    agreement = edited;
    MainTest.Result r = release();
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.err()).contains("may not be used in this warehouse").contains("edited after approval");
    assertThat(w.zonePath(Zone.RELEASE).resolve(KnownOutputs.MATCHED_NAME)).doesNotExist();
    assertThat(releaseAudit()).singleElement().extracting(AuditEvent::decision).isEqualTo(AuditEvent.DENY);

    Warehouse other = Warehouse.create(tmp.resolve("other"));
    agreement = GovernanceCommandsTest.demoAgreement();
    MainTest.Result unapproved = MainTest.run("release", "--warehouse", other.root().toString(), "--agreement",
        agreement.toString(), "--results", results.toString(), "--by", "ana");
    assertThat(unapproved.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(unapproved.err()).contains("has not been approved in this warehouse");
  }

  @Test
  void anApprovedAgreementPastItsEndReleasesNothing() throws Exception {
    writeMatched(matched(60, 20, null));
    Path expired = tmp.resolve("expired.yaml");
    String text = Files.readString(agreement);
    String changed = text.replace("  end: 2028-03-31\n  reviewDate: 2027-09-30", "  end: 2025-12-31\n  reviewDate: 2025-09-30")
        .replace("version: \"1.0\"", "version: \"1.1\"");
    assertThat(changed).isNotEqualTo(text).contains("version: \"1.1\"");
    Files.writeString(expired, changed);
    MainTest.Result ok = MainTest.run("policy", "approve", expired.toString(), "--warehouse", w.root().toString(),
        "--by", "gina", "--at", "2025-06-01");
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    agreement = expired;
    MainTest.Result r = release();
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.err()).contains("releasing under kid-falls-evaluation@1.1 was denied").contains("expired on 2025-12-31");
    assertThat(w.zonePath(Zone.RELEASE).resolve(KnownOutputs.MATCHED_NAME)).doesNotExist();
    assertThat(releaseAudit()).singleElement().extracting(AuditEvent::decision).isEqualTo(AuditEvent.DENY);
  }

  @Test
  void anEmptyOrMissingResultsDirectoryIsRefused() throws Exception {
    MainTest.Result empty = release();
    assertThat(empty.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(empty.err()).contains("no evaluation results in " + results).contains(ReleaseCommand.matchedFile())
        .contains("idw evaluate kid --out");
    results = tmp.resolve("nowhere");
    MainTest.Result missing = release();
    assertThat(missing.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(missing.err()).contains("no results directory " + results);
    MainTest.Result half = release("--checker", "olu");
    assertThat(half.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(half.err()).contains("--checker and --reason go together");
  }
}
