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
        err.println(failureMessage(commandLine.getCommandName(), ex, verbose));
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

  /**
   * The one line printed for a failure that is not an idw refusal. A full disk under Spark's scratch
   * directory (a large run's shuffle and spill files) gets its cause and fix named, since the raw
   * Spark message names neither.
   */
  static String failureMessage(String command, Throwable ex, boolean verbose) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (isDeltaConcurrentWrite(t)) {
        return "idw: " + command + " failed: another job wrote the same table at the same time, and Delta refused this"
            + " job's commit (" + t.getClass().getSimpleName() + "). Cause: two runs of the same source or month, or a link run beside"
            + " an ingest of the table it reads, committed concurrently. Fix: run the command again once the other job"
            + " has finished; what either job committed is kept, and a re-run adds nothing twice.";
      }
      if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        String dir = System.getProperty("spark.local.dir", System.getProperty("java.io.tmpdir"));
        return "idw: " + command + " failed: the disk ran out of space. Cause: Spark's shuffle, spill and checkpoint files"
            + " under " + dir + " (spark.local.dir) or the warehouse's disk filled up. Fix: free space there, or point"
            + " Spark at a larger disk, e.g. JAVA_TOOL_OPTIONS=-Dspark.local.dir=/big/disk ./idw " + command
            + " ...; tables that committed stay consistent, and re-running the command completes the job.";
      }
    }
    return "idw: " + command + " failed: " + oneLine(ex) + (verbose ? "" : " (run again with --verbose for the stack trace)");
  }

  /** True for Delta's refusal of a commit that conflicts with a concurrent one (checked by class name: no Delta dependency here). */
  private static boolean isDeltaConcurrentWrite(Throwable t) {
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("org.apache.spark.sql.delta.DeltaConcurrentModificationException")) {
        return true;
      }
    }
    return false;
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
