package io.idw.cohort.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads evaluation results into {@link EvaluationSummary}s for reports, and writes summaries as
 * report-ready result JSON.
 *
 * <p>The report-ready format is {@code {"format":"idw-evaluation-summary","format_version":1,
 * "summary":{...}}}. The matched-cohort and ITS result JSON are recognised and converted too.
 */
public final class EvaluationResults {
  public static final String FORMAT = "idw-evaluation-summary";
  public static final int FORMAT_VERSION = 1;
  private static final List<Adapter> ADAPTERS = List.of(MatchedCohortReports::adapt, ItsReports::adapt);

  private EvaluationResults() {}

  /** Converts one result format into a summary; returns empty for documents it does not recognise. */
  @FunctionalInterface
  interface Adapter {
    Optional<EvaluationSummary> adapt(JsonNode root, ReportWording wording);
  }

  /** Reads a result file in any known format. */
  public static EvaluationSummary read(Path file) {
    return read(file, ReportWording.none());
  }

  /** Reads a result file in any known format, with the words a report puts around it. */
  public static EvaluationSummary read(Path file, ReportWording wording) {
    JsonNode root;
    try {
      root = IdwMappers.json().readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw ReportErrors.unreadableResult(file, "it is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ReportErrors.unreadableResult(file, String.valueOf(e.getMessage()));
    }
    return fromJson(root, file, wording);
  }

  /** Converts a parsed result document; {@code origin} names it in errors. */
  public static EvaluationSummary fromJson(JsonNode root, Path origin, ReportWording wording) {
    if (root != null && FORMAT.equals(root.path("format").asText())) {
      int v = root.path("format_version").asInt(-1);
      if (v != FORMAT_VERSION) {
        throw ReportErrors.unreadableResult(origin, "format_version " + v + " is not supported (this idw reads "
            + FORMAT_VERSION + ")");
      }
      try {
        return IdwMappers.json().treeToValue(root.get("summary"), EvaluationSummary.class);
      } catch (JsonProcessingException e) {
        throw IdwMappers.bindingError(origin.toString(), e);
      } catch (IllegalArgumentException e) {
        if (e.getCause() instanceof JsonProcessingException jp) {
          throw IdwMappers.bindingError(origin.toString(), jp);
        }
        throw e;
      }
    }
    for (Adapter a : ADAPTERS) {
      Optional<EvaluationSummary> s = a.adapt(root, wording == null ? ReportWording.none() : wording);
      if (s.isPresent()) {
        return s.get();
      }
    }
    throw ReportErrors.unreadableResult(origin, "it is not a result format this idw knows (neither '" + FORMAT
        + "' nor a matched-cohort or ITS result)");
  }

  /** The report-ready JSON of a summary. */
  public static String toJson(EvaluationSummary s) {
    ObjectNode root = IdwMappers.json().createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.set("summary", IdwMappers.json().valueToTree(s));
    try {
      return IdwMappers.json().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a summary as report-ready JSON. */
  public static Path write(EvaluationSummary s, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, toJson(s));
      return file;
    } catch (IOException e) {
      throw ReportErrors.renderFailed(file.toString(), e);
    }
  }
}
