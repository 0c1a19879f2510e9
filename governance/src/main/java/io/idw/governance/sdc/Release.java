package io.idw.governance.sdc;

import io.idw.core.IdwVersion;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.governance.AgreementFile;
import io.idw.governance.Agreements;
import io.idw.governance.GovernanceErrors;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Puts checked outputs into the release zone, where commissioners read. An output is released only
 * if every check passed, or the worst is "review" and a {@link ReviewException} from a named
 * checker other than the releaser is given; a "fail" is never released. Released files go to
 * {@code release/<name>/}: each protected table as CSV, any extra files (reports, charts), a
 * {@code disclosure.json} with every check, reason and exception, and {@code SHA256SUMS} of every
 * file. Every release and every refusal is audited.
 */
public final class Release {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private final Warehouse warehouse;
  private final AgreementFile agreement;
  private final String user;

  private Release(Warehouse warehouse, AgreementFile agreement, String user) {
    this.warehouse = warehouse;
    this.agreement = agreement;
    this.user = user;
  }

  /** Releases into a warehouse as a user, under the agreement the outputs were made under. */
  public static Release into(Warehouse warehouse, AgreementFile agreement, String user) {
    return new Release(warehouse, agreement, user);
  }

  /** What was released: the directory, its files with their SHA-256, and the overall status. */
  public record Result(Path directory, Map<String, String> sha256, Status status) {}

  /**
   * Releases one output set. {@code extraFiles} (name → bytes) are shipped as they are (their
   * content must be covered by {@code checks}); {@code exception} may be null.
   */
  public Result release(String name, List<CheckResult> checks, Map<String, byte[]> extraFiles, ReviewException exception) {
    AuditLog audit = AuditLog.of(warehouse);
    AuditEvent.Builder ev = AuditEvent.builder().action("governance.release").user(user)
        .agreement(agreement.agreement().id(), agreement.agreement().version(), agreement.sha256())
        .resource("release." + name);
    if (name == null || !NAME.matcher(name).matches()) {
      throw GovernanceErrors.badInput("invalid release name '" + name + "'", "names are lower case letters, digits, - and _",
          "choose a name such as falls-evaluation-2025");
    }
    if (checks.isEmpty()) {
      return refuse(audit, ev, name, "no disclosure check was made");
    }
    Status worst = Status.PASS;
    for (CheckResult c : checks) {
      worst = worst.worst(c.status());
    }
    ev.detail("status", worst.wire());
    if (worst == Status.FAIL) {
      List<String> failing = checks.stream().filter(c -> c.status() == Status.FAIL)
          .map(c -> c.output() + ": " + String.join("; ", c.reasons())).toList();
      return refuse(audit, ev, name, "disclosure checks failed: " + String.join(" | ", failing));
    }
    if (worst == Status.REVIEW) {
      if (exception == null || exception.checker() == null || exception.checker().isBlank()
          || exception.justification() == null || exception.justification().isBlank()) {
        return refuse(audit, ev, name, "an output needs review and no exception from a named checker was recorded");
      }
      if (exception.checker().equals(user)) {
        return refuse(audit, ev, name, "the checker of a review exception must be someone other than the releaser");
      }
      ev.detail("exception_checker", exception.checker()).detail("exception", exception.justification());
    }
    Path dir = warehouse.zonePath(Zone.RELEASE).resolve(name);
    Map<String, byte[]> files = new TreeMap<>();
    for (CheckResult c : checks) {
      if (c.table() != null) {
        files.put(slug(c.output()) + ".csv", c.table().toCsv().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (extraFiles != null) {
      files.putAll(extraFiles);
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("name", name);
    manifest.put("status", worst.wire());
    manifest.put("released_by", user);
    manifest.put("released_at", Instant.now().toString());
    manifest.put("agreement", agreement.agreement().label());
    manifest.put("agreement_sha256", agreement.sha256());
    manifest.put("idw_version", IdwVersion.get());
    List<Map<String, Object>> cs = new ArrayList<>();
    for (CheckResult c : checks) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("output", c.output());
      m.put("kind", c.kind());
      m.put("status", c.status().wire());
      m.put("profile", c.profile());
      m.put("reasons", c.reasons());
      cs.add(m);
    }
    manifest.put("checks", cs);
    if (exception != null && worst == Status.REVIEW) {
      manifest.put("exception", Map.of("checker", exception.checker(), "justification", exception.justification(),
          "at", exception.at().toString()));
    }
    try {
      files.put("disclosure.json", IdwMappers.json().writeValueAsBytes(manifest));
      Files.createDirectories(dir);
      Map<String, String> sums = new TreeMap<>();
      StringBuilder sumFile = new StringBuilder();
      for (var e : files.entrySet()) {
        if (!e.getKey().matches("[A-Za-z0-9._-]+")) {
          throw GovernanceErrors.badInput("invalid file name '" + e.getKey() + "'", "release file names are plain names",
              "rename it");
        }
        Files.write(dir.resolve(e.getKey()), e.getValue());
        String h = Agreements.sha256(e.getValue());
        sums.put(e.getKey(), h);
        sumFile.append(h).append("  ").append(e.getKey()).append('\n');
      }
      Files.writeString(dir.resolve("SHA256SUMS"), sumFile.toString(), StandardCharsets.UTF_8);
      audit.append(ev.decision(AuditEvent.ALLOW).reason("released " + files.size() + " file(s) with status "
          + worst.wire()).detail("sha256sums", Agreements.sha256(sumFile.toString().getBytes(StandardCharsets.UTF_8))).build());
      return new Result(dir, sums, worst);
    } catch (IOException e) {
      throw GovernanceErrors.ioFailure("write the release " + dir, e);
    }
  }

  private Result refuse(AuditLog audit, AuditEvent.Builder ev, String name, String reason) {
    audit.append(ev.decision(AuditEvent.DENY).reason(reason).build());
    throw GovernanceErrors.releaseRefused(name, reason);
  }

  static String slug(String s) {
    String t = s == null ? "output" : s.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return t.isEmpty() ? "output" : t;
  }

}
