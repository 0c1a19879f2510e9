package io.idw.pseudonymise;

/**
 * The explicit access object needed to read secret key bytes (Tink's {@code SecretKeyAccess}
 * style). Code that touches key material has to call {@link #insecureSecretAccess()}, so every such
 * place is visible in review and in a search.
 */
public final class SecretAccess {
  private static final SecretAccess INSTANCE = new SecretAccess();

  private SecretAccess() {}

  /** Grants access to secret bytes. Only key storage, derivation and test tooling should call it. */
  public static SecretAccess insecureSecretAccess() {
    return INSTANCE;
  }

  static void check(SecretAccess access) {
    if (access != INSTANCE) {
      throw new SecurityException("secret key bytes need SecretAccess.insecureSecretAccess()");
    }
  }

  @Override
  public String toString() {
    return "SecretAccess";
  }
}
