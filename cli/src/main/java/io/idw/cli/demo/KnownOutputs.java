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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The matched-cohort and ITS results earlier demo steps left (the matched result JSON they listed as
 * the "matched cohort" output, the {@link ItsResult} stored as {@code its_result}), as
 * {@link EvaluationOutput}s with what disclosure control checks and how their released copy is
 * protected: matched pairs (person-level ids) never leave, and ITS months whose counts were
 * suppressed lose their observed values.
 */
final class KnownOutputs {
  static final String MATCHED_OUTPUT = "matched cohort";
  static final String ITS_RESULT = "its_result";

  private KnownOutputs() {}

  static List<EvaluationOutput> collect(DemoContext ctx, DisclosureControl dc) {
    List<EvaluationOutput> out = new ArrayList<>();
    Path matched = ctx.outputs().get(MATCHED_OUTPUT);
    if (matched != null && Files.isRegularFile(matched)) {
      out.add(matched(ctx, matched, dc));
    }
    ctx.get(ITS_RESULT, ItsResult.class).ifPresent(r -> out.add(its(ctx, r, dc)));
    return out;
  }

  private static EvaluationOutput matched(DemoContext ctx, Path json, DisclosureControl dc) {
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
    ReportWording words = new ReportWording("home-safety-visits-ae", "Home safety visits and A&E attendances from home",
        "home safety visits", "A&E attendances from home", "people aged 65 and over", true);
    return new EvaluationOutput("home-safety-visits-ae", json, words, List.of(t), checks, cs -> {
      root.set("pairs", root.arrayNode()); // person-level pairs stay in the analysis zone
      return write(ctx.workDir().resolve("analysis").resolve("home-safety-visits-ae-released.json"), root);
    });
  }

  private static EvaluationOutput its(DemoContext ctx, ItsResult r, DisclosureControl dc) {
    Path json = ctx.workDir().resolve("analysis").resolve("falls-prevention-its.json");
    r.writeJson(json);
    List<String> months = new ArrayList<>(new TreeSet<>(r.series().stream().map(ItsResult.SeriesRow::month).toList()));
    List<String> groups = new ArrayList<>(new java.util.LinkedHashSet<>(r.series().stream()
        .map(x -> x.group() == null ? "series" : x.group()).toList()));
    long[][] counts = new long[months.size()][groups.size()];
    for (ItsResult.SeriesRow x : r.series()) {
      counts[months.indexOf(x.month())][groups.indexOf(x.group() == null ? "series" : x.group())] = Math.round(x.observed());
    }
    CrossTable t = CrossTable.counts(ItsReports.SERIES, months, groups, counts);
    List<CheckResult> checks = List.of(dc.checkRegression(ItsReports.MODEL, r.fit().observations(), r.fit().parameters()));
    ReportWording words = new ReportWording("falls-prevention-its", "The falls prevention service and falls admissions",
        "the falls prevention service", "falls-related non-elective admissions", "people aged 65 and over", true);
    return new EvaluationOutput("falls-prevention-its", json, words, List.of(t), checks, cs -> {
      Set<String> suppressed = new HashSet<>();
      for (CheckResult c : cs) {
        if (c.table() != null && c.output().equals(ItsReports.SERIES)) {
          for (int i = 0; i < months.size(); i++) {
            for (int j = 0; j < groups.size(); j++) {
              if (c.table().suppressed(i, j)) {
                suppressed.add(months.get(i) + "|" + groups.get(j));
              }
            }
          }
        }
      }
      if (suppressed.isEmpty()) {
        return json;
      }
      ctx.say("falls-prevention-its: observed counts of %d suppressed month(s) leave the released series", suppressed.size());
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
      return write(ctx.workDir().resolve("analysis").resolve("falls-prevention-its-released.json"), root);
    });
  }

  private static JsonNode read(Path p) {
    try {
      return IdwMappers.json().readTree(p.toFile());
    } catch (IOException e) {
      throw new IdwException("demo.io", "cannot read " + p, String.valueOf(e.getMessage()), "run the demo again", e);
    }
  }

  private static Path write(Path p, JsonNode n) {
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, IdwMappers.json().writeValueAsString(n) + "\n");
      return p;
    } catch (IOException e) {
      throw new IdwException("demo.io", "cannot write " + p, String.valueOf(e.getMessage()), "check the work directory", e);
    }
  }
}
