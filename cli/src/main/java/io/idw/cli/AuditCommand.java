package io.idw.cli;

import io.idw.core.audit.AuditLog;
import io.idw.core.audit.AuditRecord;
import io.idw.core.audit.VerifyResult;
import io.idw.core.IdwMappers;
import io.idw.governance.AuditQuery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code idw audit verify|query}: check the hash chain of the audit log, or search it. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Check and search the warehouse's hash-chained audit log.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Query.class})
public final class AuditCommand {

  static AuditLog log(WarehouseOptions wh, Path file) {
    return file != null ? AuditLog.at(file) : AuditLog.of(wh.open());
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Re-compute every record's hash and link; report the first edited, deleted or reordered record. "
          + "Exit 0 if the chain is intact, 1 if not.")
  static final class Verify implements Callable<Integer> {
    @Mixin WarehouseOptions wh;

    @Option(names = "--file", paramLabel = "FILE", description = "Verify this audit log file instead of the warehouse's.")
    Path file;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      AuditLog log = log(wh, file);
      VerifyResult r = log.verify();
      PrintWriter out = spec.commandLine().getOut();
      if (r.intact()) {
        out.println(log.file() + ": " + r.records() + " records, chain intact, head " + r.headHash());
        return 0;
      }
      out.println(log.file() + ": CHAIN BROKEN at record " + r.firstBadSequence() + " (line "
          + (r.firstBadSequence() + 1) + "): " + r.reason());
      out.println("Records before it verify; treat the log from there on as compromised and restore it from a trusted copy.");
      return Main.EXIT_FAILURE;
    }
  }

  @Command(name = "query", mixinStandardHelpOptions = true,
      description = "List audit records matching every filter given (exact matches; dates inclusive, UTC).")
  static final class Query implements Callable<Integer> {
    @Mixin WarehouseOptions wh;

    @Option(names = "--file", paramLabel = "FILE", description = "Query this audit log file instead of the warehouse's.")
    Path file;

    @Option(names = "--user", paramLabel = "U") String user;
    @Option(names = "--purpose", paramLabel = "P") String purpose;
    @Option(names = "--agreement", paramLabel = "ID[@VERSION]") String agreement;
    @Option(names = "--action", paramLabel = "A", description = "An action or its prefix, such as governance.read or governance.")
    String action;
    @Option(names = "--decision", paramLabel = "D", description = "allow, deny, ok or failed.") String decision;
    @Option(names = "--from", paramLabel = "DATE") LocalDate from;
    @Option(names = "--to", paramLabel = "DATE") LocalDate to;
    @Option(names = "--json", description = "Print the matching records as JSON lines.") boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      AuditLog log = log(wh, file);
      List<AuditRecord> hits = new AuditQuery(user, purpose, agreement, action, decision, from, to).apply(log.read());
      PrintWriter out = spec.commandLine().getOut();
      for (AuditRecord r : hits) {
        if (json) {
          out.println(IdwMappers.json().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(r));
        } else {
          var e = r.event();
          out.printf("%5d %s %-24s %-5s user=%s purpose=%s agreement=%s resource=%s rows=%s version=%s%s%n",
              r.sequence(), r.time(), e.action(), e.decision(), e.user(), e.purpose(),
              e.agreementId() == null ? null : e.agreementId() + "@" + e.agreementVersion(), e.resource(), e.rows(),
              e.tableVersion(), e.reason() == null ? "" : " reason=\"" + e.reason() + "\"");
        }
      }
      if (!json) {
        out.println(hits.size() + " matching record(s)");
      }
      return 0;
    }
  }
}
