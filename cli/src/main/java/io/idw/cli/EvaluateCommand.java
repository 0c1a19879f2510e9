package io.idw.cli;

import picocli.CommandLine.Command;

/** {@code idw evaluate …}: declared, reproducible evaluations (each subcommand is one design). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Run a declared evaluation (interrupted time series, matched cohort, …) and write its result.",
    subcommands = {
        EvaluateItsCommand.class,
        EvaluateMatchedCohortCommand.class,
        EvaluateKidCommand.class,
    })
public final class EvaluateCommand {}
