package io.idw.cli;

import io.idw.core.Warehouse;
import io.idw.governance.AgreementApprovals;
import io.idw.governance.AgreementValidator;
import io.idw.governance.Agreements;
import io.idw.governance.DatasetCatalog;
import io.idw.governance.PolicyExplainer;
import io.idw.governance.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code idw policy validate|explain|approve|approvals|revoke}: check a data sharing agreement, say
 * what it lets a user see, and pin the exact approved file per warehouse.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = {"Check data sharing agreements (YAML/JSON policies), explain what they allow, and approve them.",
        "A governed session opens only under the exact file (by SHA-256) approved for its agreement id and version "
            + "in that warehouse; an agreement edited after approval is refused until it is approved again."},
    subcommands = {PolicyCommand.Validate.class, PolicyCommand.Explain.class, PolicyCommand.Approve.class,
        PolicyCommand.Approvals.class, PolicyCommand.Revoke.class})
public final class PolicyCommand {

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = {"Check an agreement file against the published schema (governance/src/main/resources/"
          + "io/idw/governance/agreement.schema.json), its own rules, the clock, and (with --warehouse) "
          + "the linked tables and columns it names. Prints every problem with its field; exit 0 only if valid."})
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The agreement (.yaml, .yml or .json).")
    Path file;

    @Option(names = "--warehouse", paramLabel = "DIR",
        description = "Check datasets and columns against this warehouse's linked zone.")
    Path warehouse;

    @Option(names = "--at", paramLabel = "DATE", description = "Check dates as of this day (default: today, UTC).")
    LocalDate at;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      DatasetCatalog catalog = warehouse == null ? null : catalogOf(Warehouse.open(warehouse), out);
      LocalDate on = at == null ? LocalDate.now(ZoneOffset.UTC) : at;
      AgreementValidator.Report r = AgreementValidator.validate(file, catalog, on);
      for (Problem p : r.errors()) {
        out.println("error   " + p);
      }
      for (Problem p : r.warnings()) {
        out.println("warning " + p);
      }
      if (r.valid()) {
        out.println(file + ": valid agreement " + r.file().agreement().label() + " (sha256 " + r.file().sha256() + ")"
            + (r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " warning(s)"));
        if (warehouse != null) {
          AgreementApprovals.Check c = AgreementApprovals.of(Warehouse.open(warehouse)).check(r.file());
          out.println((c.approved() ? "approved in " : "NOT approved in ") + warehouse + ": " + c.reason());
        }
        return 0;
      }
      out.println(file + ": " + r.errors().size() + " error(s); nothing may be read under this agreement until they are fixed");
      return Main.EXIT_REFUSED;
    }
  }

  /** The warehouse's linked zone as a catalog, or null (with a warning) while it is empty. */
  static DatasetCatalog catalogOf(Warehouse w, PrintWriter out) {
    if (w.tables(io.idw.core.Zone.LINKED).isEmpty()) {
      out.println("warning the linked zone of " + w.root() + " is empty: datasets and columns are checked at each read");
      return null;
    }
    return DatasetCatalog.linkedZone(w);
  }

  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = "Say in plain words what a user may see under a purpose, and why.")
  static final class Explain implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The agreement (.yaml, .yml or .json).")
    Path file;

    @Option(names = "--user", required = true, paramLabel = "U", description = "The user id (matched exactly).")
    String user;

    @Option(names = "--purpose", required = true, paramLabel = "P", description = "The purpose id (matched exactly).")
    String purpose;

    @Option(names = "--at", paramLabel = "DATE", description = "As of this day (default: today, UTC).")
    LocalDate at;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      LocalDate on = at == null ? LocalDate.now(ZoneOffset.UTC) : at;
      PolicyExplainer.Explanation e = PolicyExplainer.explain(Agreements.load(file), user, purpose, on);
      spec.commandLine().getOut().print(e.text());
      spec.commandLine().getOut().flush();
      return e.allowed() ? 0 : Main.EXIT_REFUSED;
    }
  }

  /** Validates an agreement and records its exact file as the approved one for its id and version. */
  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = {"Approve an agreement file for use in a warehouse: validates it (schema, rules, dates, and the "
          + "warehouse's linked tables and columns), then records its SHA-256 for its id and version in the "
          + "warehouse's hash-chained audit log. Supersedes an earlier approval of that id and version; "
          + "approving the file already in force changes nothing."})
  static final class Approve implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The agreement (.yaml, .yml or .json).")
    Path file;

    @Mixin WarehouseOptions warehouse;

    @Option(names = "--by", paramLabel = "NAME", description = "The approving governance officer (default: the OS user).")
    String by = System.getProperty("user.name");

    @Option(names = "--at", paramLabel = "DATE", description = "Check dates as of this day (default: today, UTC).")
    LocalDate at;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Warehouse w = warehouse.open();
      LocalDate on = at == null ? LocalDate.now(ZoneOffset.UTC) : at;
      DatasetCatalog catalog = catalogOf(w, out);
      AgreementValidator.Report r = AgreementValidator.validate(file, catalog, on);
      for (Problem p : r.errors()) {
        out.println("error   " + p);
      }
      for (Problem p : r.warnings()) {
        out.println("warning " + p);
      }
      if (!r.valid()) {
        out.println(file + ": " + r.errors().size() + " error(s); not approved");
        return Main.EXIT_REFUSED;
      }
      AgreementApprovals approvals = AgreementApprovals.of(w);
      AgreementApprovals.Approval before = approvals.current().get(r.file().agreement().label());
      AgreementApprovals.Approval a = approvals.approve(r.file(), by);
      if (before != null && before.equals(a)) {
        out.println(r.file().agreement().label() + " (sha256 " + a.sha256() + ") was already approved by "
            + a.approvedBy() + " at " + a.at() + "; nothing changed");
      } else {
        out.println("approved " + r.file().agreement().label() + " (sha256 " + a.sha256() + ") in " + warehouse.path()
            + " by " + a.approvedBy() + " (audit record " + a.sequence() + ")"
            + (before == null ? "" : "; supersedes sha256 " + before.sha256()));
      }
      out.flush();
      return 0;
    }
  }

  /** Lists the approvals in force. */
  @Command(name = "approvals", mixinStandardHelpOptions = true,
      description = "List the agreement approvals in force in a warehouse (id@version, sha256, approver, time).")
  static final class Approvals implements Callable<Integer> {
    @Mixin WarehouseOptions warehouse;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      var current = AgreementApprovals.of(warehouse.open()).current();
      if (current.isEmpty()) {
        out.println("no agreement is approved in " + warehouse.path() + "; approve one with 'idw policy approve FILE'");
      }
      for (AgreementApprovals.Approval a : current.values()) {
        out.printf("%s@%s  sha256 %s  approved by %s at %s (audit record %d)%n", a.agreementId(), a.version(),
            a.sha256(), a.approvedBy(), a.at(), a.sequence());
      }
      out.flush();
      return 0;
    }
  }

  /** Revokes the approval of an agreement id and version. */
  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke the approval in force of an agreement id and version: no session opens under it until "
          + "a file is approved again.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "The agreement id.")
    String id;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The agreement version.")
    String version;

    @Mixin WarehouseOptions warehouse;

    @Option(names = "--by", paramLabel = "NAME", description = "Who revokes (default: the OS user).")
    String by = System.getProperty("user.name");

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in the audit log).")
    String reason;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      AgreementApprovals.Approval a = AgreementApprovals.of(warehouse.open()).revoke(id, version, by, reason);
      spec.commandLine().getOut().println("revoked the approval of " + id + "@" + version + " (sha256 " + a.sha256() + ")");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
