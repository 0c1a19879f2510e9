package io.idw.core;

/** The idw version, from the jar manifest, or the build's version during development. */
public final class IdwVersion {
  private static final String FALLBACK = "0.1.0-SNAPSHOT";

  private IdwVersion() {}

  public static String get() {
    String v = IdwVersion.class.getPackage().getImplementationVersion();
    return v != null ? v : FALLBACK;
  }
}
