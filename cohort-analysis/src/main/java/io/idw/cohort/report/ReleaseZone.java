package io.idw.cohort.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@link ReleaseRegistry} of a warehouse's release zone, as governance's release writes it: a
 * released output is a directory {@code release/<name>/} holding its files, a
 * {@code disclosure.json} (name, status, released_by, released_at, checks with output, status and
 * reasons, and the exception for a review) and {@code SHA256SUMS}. A file is released only if it is
 * listed in its directory's {@code SHA256SUMS} next to a {@code disclosure.json}.
 */
public final class ReleaseZone implements ReleaseRegistry {
  public static final String MANIFEST = "disclosure.json";
  public static final String SUMS = "SHA256SUMS";

  private ReleaseZone() {}

  public static ReleaseZone registry() {
    return new ReleaseZone();
  }

  @Override
  public Optional<ReleasedOutput> lookup(Path resultFile) {
    Path file = resultFile.toAbsolutePath().normalize();
    Path dir = file.getParent();
    if (dir == null || !Files.isRegularFile(dir.resolve(MANIFEST)) || !Files.isRegularFile(dir.resolve(SUMS))) {
      return Optional.empty();
    }
    try {
      String name = file.getFileName().toString();
      String sha = null;
      for (String line : Files.readAllLines(dir.resolve(SUMS), StandardCharsets.UTF_8)) {
        int sp = line.indexOf("  ");
        if (sp == 64 && line.substring(sp + 2).equals(name)) {
          sha = line.substring(0, 64);
        }
      }
      if (sha == null) {
        return Optional.empty();
      }
      JsonNode m = IdwMappers.json().readTree(dir.resolve(MANIFEST).toFile());
      JsonNode ex = m.path("exception");
      String checker = ex.isMissingNode() || ex.isNull() ? null : ex.path("checker").asText(null);
      String why = ex.isMissingNode() || ex.isNull() ? null : ex.path("justification").asText(null);
      List<DisclosureCheck> checks = new ArrayList<>();
      for (JsonNode c : m.path("checks")) {
        DisclosureStatus st = status(c.path("status").asText());
        List<String> reasons = new ArrayList<>();
        c.path("reasons").forEach(r -> reasons.add(r.asText()));
        checks.add(new DisclosureCheck(c.path("output").asText(), st, reasons,
            st == DisclosureStatus.REVIEW ? checker : null, st == DisclosureStatus.REVIEW ? why : null));
      }
      return Optional.of(new ReleasedOutput(m.path("name").asText(dir.getFileName().toString()), sha,
          status(m.path("status").asText()), checks, m.path("released_at").asText(null), m.path("released_by").asText(null)));
    } catch (IOException | RuntimeException e) {
      throw ReportErrors.unreadableResult(dir.resolve(MANIFEST), "its release record cannot be read: " + e.getMessage());
    }
  }

  private static DisclosureStatus status(String wire) {
    try {
      return DisclosureStatus.valueOf(wire.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      // an unknown status is never treated as a pass
      return DisclosureStatus.FAIL;
    }
  }
}
