package io.idw.cli;

import io.idw.core.Warehouse;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code idw policy validate|explain}: check a data sharing agreement, or say what it lets a user see. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Check data sharing agreements (YAML/JSON policies) and explain what they allow.",
    subcommands = {PolicyCommand.Validate.class, PolicyCommand.Explain.class})
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
      DatasetCatalog catalog = warehouse == null ? null : DatasetCatalog.linkedZone(Warehouse.open(warehouse));
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
        return 0;
      }
      out.println(file + ": " + r.errors().size() + " error(s); nothing may be read under this agreement until they are fixed");
      return Main.EXIT_REFUSED;
    }
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
}
