package io.idw.core;

/**
 * Thrown by the validating constructors of spec values while Jackson binds them; {@link
 * IdwMappers} turns it into a {@code core.spec.invalid} {@link IdwException} that names the file
 * and the full field path. Outside binding, call {@link #toIdwException(String)}.
 */
public final class SpecViolation extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String reason;
  private final String fix;

  public SpecViolation(String field, String reason, String fix) {
    super(field + ": " + reason + ". Fix: " + fix);
    this.field = field;
    this.reason = reason;
    this.fix = fix;
  }

  /** Throws a violation unless {@code condition} holds. */
  public static void require(boolean condition, String field, String reason, String fix) {
    if (!condition) {
      throw new SpecViolation(field, reason, fix);
    }
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }

  public String fix() {
    return fix;
  }

  public IdwException toIdwException(String origin) {
    return CoreErrors.specInvalid(origin, field, reason, fix);
  }
}
