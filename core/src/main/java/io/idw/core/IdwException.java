package io.idw.core;

import java.util.Objects;

/**
 * The root of every exception idw throws on purpose. Unchecked, and always built by a module's
 * errors factory, so that its message states three things: the problem, its cause and the fix.
 *
 * <p>The {@link #code()} is a stable, dotted identifier (for example {@code core.warehouse.missing})
 * that tests and callers may match on; the message text may change.
 */
public class IdwException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String problem;
  private final String reason;
  private final String fix;

  public IdwException(String code, String problem, String reason, String fix, Throwable cause) {
    super(format(problem, reason, fix), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.problem = Objects.requireNonNull(problem, "problem");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.fix = Objects.requireNonNull(fix, "fix");
  }

  public IdwException(String code, String problem, String reason, String fix) {
    this(code, problem, reason, fix, null);
  }

  private static String format(String problem, String reason, String fix) {
    return problem + ": " + reason + ". Fix: " + fix;
  }

  /** The stable error code, such as {@code core.warehouse.missing}. */
  public String code() {
    return code;
  }

  /** What went wrong, in one clause. */
  public String problem() {
    return problem;
  }

  /** Why it went wrong. */
  public String reason() {
    return reason;
  }

  /** What the user should do about it. */
  public String fix() {
    return fix;
  }
}
