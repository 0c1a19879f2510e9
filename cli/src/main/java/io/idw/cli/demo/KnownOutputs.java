package io.idw.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idw.cohort.its.ItsResult;
import io.idw.cohort.report.ItsReports;
import io.idw.cohort.report.MatchedCohortReports;
import io.idw.cohort.report.ReportWording;
import io.idw.core.IdwException;
import io.idw.core.IdwMappers;
import io.idw.governance.sdc.CheckResult;
import io.idw.governance.sdc.CrossTable;
import io.idw.governance.sdc.DisclosureControl;
import io.idw.governance.sdc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The matched-cohort and ITS results earlier demo steps left (the matched result JSON they listed as
 * the "matched cohort" output, the {@link ItsResult} stored as {@code its_result}), as
 * {@link EvaluationOutput}s with what disclosure control checks and how their released copy is
 * protected: matched pairs (person-level ids) never leave, and ITS months whose counts were
 * suppressed lose their observed values.
 */
public final class KnownOutputs {
  static final String MATCHED_OUTPUT = "matched cohort";
  static final String ITS_RESULT = "its_result";
  /** The release names of the two KID evaluations. */
  public static final String MATCHED_NAME = "home-safety-visits-ae";
  public static final String ITS_NAME = "falls-prevention-its";

  private KnownOutputs() {}

  /** Where progress lines go (the demo's console, or a command's output). */
  @FunctionalInterface
  public interface Messages {
    void say(String format, Object... args);
  }

  static List<EvaluationOutput> collect(DemoContext ctx, DisclosureControl dc) {
    List<EvaluationOutput> out = new ArrayList<>();
    Path analysis = ctx.workDir().resolve("analysis");
    Path matched = ctx.outputs().get(MATCHED_OUTPUT);
    if (matched != null && Files.isRegularFile(matched)) {
      out.add(matched(matched, dc, analysis, ctx::say));
    }
    ctx.get(ITS_RESULT, ItsResult.class).ifPresent(r -> out.add(its(r, dc, analysis, ctx::say, String.format(
        "At %,d people the falls counts are too small to publish; the output is withheld (run with more people, e.g."
            + " --people 20000, to release it)", ctx.people()))));
    return out;
  }

  /**
   * The matched-cohort output of a {@code MatchedCohortResult} JSON file: its sizes, subgroup sizes,
   * effects and balance are checked; the protected copy (written into {@code analysisDir}) has no
   * matched pairs and no withheld subgroup.
   */
  public static EvaluationOutput matched(Path json, DisclosureControl dc, Path analysisDir, Messages say) {
    ObjectNode root = (ObjectNode) read(json);
    JsonNode sizes = root.path("sizes");
    // every count the report shows, including the unmatched
    long[][] counts = {{sizes.path("treated_before").asLong(), sizes.path("control_before").asLong(),
        sizes.path("treated_matched").asLong(), sizes.path("control_matched").asLong(),
        sizes.path("treated_unmatched_outside_caliper").asLong(), sizes.path("treated_unmatched_no_control_in_stratum").asLong()}};
    CrossTable t = CrossTable.counts(MatchedCohortReports.SIZES, List.of("people"),
        List.of("treated_before", "control_before", "treated_matched", "control_matched", "unmatched_outside_caliper",
            "unmatched_no_control_in_stratum"), counts);
    List<CheckResult> checks = new ArrayList<>();
    checks.add(dc.checkRegression(MatchedCohortReports.EFFECTS, sizes.path("treated_matched").asLong()
        + sizes.path("control_matched").asLong(), 2));
    checks.add(dc.checkStatistics(MatchedCohortReports.BALANCE, List.of("mean", "standardised mean difference")));
    Map<String, String> withheld = subgroupChecks(root.path("subgroups"), dc, checks);
    withheld.forEach((name, why) -> say.say("home-safety-visits-ae: subgroup %s withheld: %s", name, why));
    ReportWording words = new ReportWording(MATCHED_NAME, "Home safety visits and A&E attendances from home",
        "home safety visits", "A&E attendances from home", "people aged 65 and over", true);
    return new EvaluationOutput(MATCHED_NAME, json, words, List.of(t), checks, cs -> {
      root.set("pairs", root.arrayNode()); // person-level pairs stay in the analysis zone
      if (root.path("subgroups").isArray()) {
        for (JsonNode g : root.path("subgroups")) {
          String why = withheld.get(g.path("name").asText());
          if (why != null) {
            ObjectNode o = (ObjectNode) g;
            o.remove(List.of("treated_matched", "control_matched", "effects"));
            o.put("note", "withheld by disclosure control: " + why);
          }
        }
      }
      return write(analysisDir.resolve("home-safety-visits-ae-released.json"), root);
    });
  }

  /**
   * Checks the declared subgroups' matched sizes as a table (subgroup x treated/control). A
   * subgroup whose cells disclosure control suppresses is withheld from the release (its sizes and
   * estimates leave the released file; the report says so); when the table as a whole fails, every
   * subgroup is withheld rather than the whole evaluation. Returns the withheld subgroups and why.
   */
  static Map<String, String> subgroupChecks(JsonNode subgroups, DisclosureControl dc, List<CheckResult> checks) {
    Map<String, String> withheld = new LinkedHashMap<>();
    if (!subgroups.isArray() || subgroups.isEmpty()) {
      return withheld;
    }
    List<String> names = new ArrayList<>();
    List<long[]> counts = new ArrayList<>();
    for (JsonNode g : subgroups) {
      if (g.hasNonNull("treated_matched") && g.hasNonNull("control_matched")) {
        names.add(g.path("name").asText());
        counts.add(new long[] {g.path("treated_matched").asLong(), g.path("control_matched").asLong()});
      }
    }
    if (names.isEmpty()) {
      return withheld;
    }
    CheckResult c = dc.check(CrossTable.counts(MatchedCohortReports.SUBGROUP_SIZES, names,
        List.of("treated_matched", "control_matched"), counts.toArray(long[][]::new)));
    if (c.status() == Status.FAIL) {
      String why = c.reasons().stream().filter(r -> r.contains("discloses") || r.contains("recoverable")).findFirst()
          .orElse(c.reasons().isEmpty() ? "the subgroup sizes table failed" : c.reasons().get(0));
      names.forEach(n -> withheld.put(n, why));
      return withheld;
    }
    for (int i = 0; i < names.size(); i++) {
      if (c.table() != null && (c.table().suppressed(i, 0) || c.table().suppressed(i, 1))) {
        withheld.put(names.get(i), "fewer than " + dc.profile().threshold() + " matched people in a group");
      }
    }
    checks.add(c);
    return withheld;
  }

  /** The periods the ITS series may be released in, finest first: months, quarters, half-years, years. */
  static final int[] PERIODS = {1, 3, 6, 12};

  /**
   * The ITS output: the model is fitted on months, but the released series is the finest period
   * (month, quarter, half-year, year) whose counts table passes disclosure control without
   * suppressing a cell; failing that, the finest that passes with suppression (those periods lose
   * their observed values). When no period passes, the output carries the monthly table's failed
   * check, so release refuses it and {@code say} says why, followed by {@code withheldHint}. The
   * chosen series is written to {@code analysisDir}, and its protected copy beside it.
   */
  public static EvaluationOutput its(ItsResult monthly, DisclosureControl dc, Path analysisDir, Messages say,
      String withheldHint) {
    ItsResult r = null;
    CheckResult chosen = null;
    CrossTable chosenTable = null;
    CheckResult firstFail = null;
    CrossTable firstFailTable = null;
    for (int k : PERIODS) {
      ItsResult a = monthly.aggregated(k);
      if (a.series().isEmpty()) {
        continue;
      }
      CrossTable t = seriesTable(a);
      CheckResult c = dc.check(t);
      if (c.status() == Status.FAIL) {
        if (firstFail == null) {
          firstFail = c;
          firstFailTable = t;
        }
        continue;
      }
      boolean suppressed = c.table() != null && c.table().suppressedCount() > 0;
      if (chosen == null || !suppressed) {
        r = a;
        chosen = c;
        chosenTable = t;
      }
      if (!suppressed) {
        break;
      }
    }
    String periodName = r == null ? "" : periodName(r.periodMonths());
    if (r == null) {
      r = monthly;
      chosenTable = firstFailTable != null ? firstFailTable : seriesTable(monthly);
      String why = firstFail == null ? "no series to release" : firstFail.reasons().stream()
          .filter(x -> x.contains("discloses") || x.contains("recoverable")).findFirst().orElse(firstFail.reasons().get(0));
      say.say("falls-prevention-its: no release period (month, quarter, half-year, year) passes disclosure control;"
          + " for example the monthly table: %s. %s", why, withheldHint);
    } else if (r.periodMonths() > 1) {
      say.say("falls-prevention-its: monthly counts are below the disclosure threshold, so the released series is in %s"
          + " (the model is still fitted on months)", periodName);
    }
    Path json = analysisDir.resolve("falls-prevention-its.json");
    r.writeJson(json);
    ItsResult released = r;
    CrossTable table = chosenTable;
    List<CheckResult> checks = List.of(dc.checkRegression(ItsReports.MODEL, monthly.fit().observations(),
        monthly.fit().parameters()));
    ReportWording words = new ReportWording(ITS_NAME, "The falls prevention service and falls admissions",
        "the falls prevention service", "falls-related non-elective admissions", "people aged 65 and over", true);
    return new EvaluationOutput(ITS_NAME, json, words, List.of(table), checks, cs -> {
      List<String> periods = table.rows();
      List<String> groups = table.cols();
      Set<String> suppressed = new HashSet<>();
      for (CheckResult c : cs) {
        if (c.table() != null && c.output().equals(ItsReports.SERIES)) {
          for (int i = 0; i < periods.size(); i++) {
            for (int j = 0; j < groups.size(); j++) {
              if (c.table().suppressed(i, j)) {
                suppressed.add(periods.get(i) + "|" + groups.get(j));
              }
            }
          }
        }
      }
      if (suppressed.isEmpty()) {
        return json;
      }
      say.say("falls-prevention-its: observed counts of %d suppressed period(s) leave the released series", suppressed.size());
      ObjectNode root = (ObjectNode) read(json);
      for (JsonNode row : (ArrayNode) root.path("series")) {
        String g = row.path("group").isNull() || row.path("group").isMissingNode() ? "series" : row.path("group").asText();
        if (suppressed.contains(row.path("month").asText() + "|" + g)) {
          ((ObjectNode) row).put("observed", Double.NaN);
          if (row.has("observedRate")) {
            ((ObjectNode) row).put("observedRate", Double.NaN);
          }
        }
      }
      return write(analysisDir.resolve("falls-prevention-its-released.json"), root);
    });
  }

  /** The released counts: periods (by first month) x series. */
  static CrossTable seriesTable(ItsResult r) {
    List<String> months = new ArrayList<>(new TreeSet<>(r.series().stream().map(ItsResult.SeriesRow::month).toList()));
    List<String> groups = new ArrayList<>(new java.util.LinkedHashSet<>(r.series().stream()
        .map(x -> x.group() == null ? "series" : x.group()).toList()));
    long[][] counts = new long[months.size()][groups.size()];
    for (ItsResult.SeriesRow x : r.series()) {
      counts[months.indexOf(x.month())][groups.indexOf(x.group() == null ? "series" : x.group())] = Math.round(x.observed());
    }
    return CrossTable.counts(ItsReports.SERIES, months, groups, counts);
  }

  static String periodName(int months) {
    return switch (months) {
      case 1 -> "months";
      case 3 -> "quarters";
      case 6 -> "half-years";
      case 12 -> "years";
      default -> months + "-month periods";
    };
  }

  private static JsonNode read(Path p) {
    try {
      return IdwMappers.json().readTree(p.toFile());
    } catch (IOException e) {
      throw new IdwException("demo.io", "cannot read " + p, String.valueOf(e.getMessage()),
          "run the evaluation again to rewrite it", e);
    }
  }

  private static Path write(Path p, JsonNode n) {
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, IdwMappers.json().writeValueAsString(n) + "\n");
      return p;
    } catch (IOException e) {
      throw new IdwException("demo.io", "cannot write " + p, String.valueOf(e.getMessage()),
          "check the directory is writable", e);
    }
  }
}
