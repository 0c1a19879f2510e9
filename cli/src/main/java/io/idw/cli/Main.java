package io.idw.cli;

import io.idw.core.IdwException;
import io.idw.core.IdwVersion;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The {@code idw} command's entry point. Exit codes: 0 success; 1 an unexpected failure; 2 a
 * refusal or a usage error (bad option, missing warehouse, missing key or policy).
 */
public final class Main {
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_REFUSED = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  static CommandLine commandLine(String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine cl = new CommandLine(new IdwCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (ex instanceof IdwException ie) {
        err.println("idw: " + ie.getMessage());
        if (verbose) {
          ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_REFUSED;
      }
      Throwable root = ex;
      while (root.getCause() != null && !(root instanceof IdwException)) {
        root = root.getCause();
      }
      if (root instanceof IdwException ie) {
        err.println("idw: " + ie.getMessage());
      } else {
        err.println("idw: " + commandLine.getCommandName() + " failed: " + oneLine(ex)
            + (verbose ? "" : " (run again with --verbose for the stack trace)"));
      }
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return root instanceof IdwException ? EXIT_REFUSED : EXIT_FAILURE;
    });
    cl.setParameterExceptionHandler((ex, params) -> {
      CommandLine c = ex.getCommandLine();
      PrintWriter err = c.getErr();
      err.println("idw: " + ex.getMessage() + ". Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return EXIT_REFUSED;
    });
    return cl;
  }

  private static String oneLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** picocli version provider. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"idw " + IdwVersion.get(), "Java " + System.getProperty("java.version")};
    }
  }
}
