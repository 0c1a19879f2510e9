package io.idw.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root {@code idw} command; each subcommand is one job or tool. */
@Command(name = "idw",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "idw: a privacy-preserving integrated dataset warehouse.",
        "Pseudonymise provider extracts, link them per person, govern every read, and evaluate what works."},
    subcommands = {
        DemoCommand.class,
        LinkCommand.class,
        WarehouseCommand.class,
        KeysCommand.class,
        IngestCommand.class,
        PolicyCommand.class,
        AuditCommand.class,
        EraseCommand.class,
        GenerateCommand.class,
        EvaluateCommand.class,
        ReleaseCommand.class,
        ReportCommand.class,
    })
public final class IdwCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Show stack traces on errors.")
  boolean verbose;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }
}
