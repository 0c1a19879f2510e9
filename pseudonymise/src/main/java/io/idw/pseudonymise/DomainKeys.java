package io.idw.pseudonymise;

import io.idw.core.IdentifierType;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Per-purpose domain keys derived from a master {@link Key} with HKDF-SHA256 (RFC 5869, Bouncy
 * Castle): {@code HKDF(ikm = master, salt = "idw/hkdf/v1", info = "idw/v1/" + purpose, L = 32)}.
 * Each identifier type, token field and Bloom-filter field gets its own key, so equal strings of
 * different types never give equal outputs, and a key for one purpose says nothing about another.
 */
public final class DomainKeys {
  public static final byte[] SALT = "idw/hkdf/v1".getBytes(StandardCharsets.US_ASCII);
  public static final String INFO_PREFIX = "idw/v1/";

  private DomainKeys() {}

  /** The purpose string of the pseudonym key of an identifier type, e.g. {@code pseudonym/nhs_number}. */
  public static String pseudonymPurpose(IdentifierType type) {
    return "pseudonym/" + type.wireName();
  }

  /** The purpose of the exact-token key of a field group, e.g. {@code token/dob}. */
  public static String tokenPurpose(String field) {
    return "token/" + field.toLowerCase(Locale.ROOT);
  }

  /** The purpose of a Bloom-filter field key, e.g. {@code bloom/given_name}. */
  public static String bloomPurpose(String field) {
    return "bloom/" + field.toLowerCase(Locale.ROOT);
  }

  /** The purpose of a per-project (agreement) re-keying key. */
  public static String projectPurpose(String projectId) {
    return "project/" + projectId;
  }

  /** Derives the 32-byte domain key of a purpose from an enabled master key. */
  public static byte[] derive(Key master, String purpose, SecretAccess access) {
    return hkdf(master.material(access), SALT, (INFO_PREFIX + purpose).getBytes(StandardCharsets.UTF_8), 32);
  }

  /** Raw HKDF-SHA256 (Bouncy Castle), exposed for the RFC 5869 known-answer tests. */
  public static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    g.generateBytes(out, 0, length);
    return out;
  }
}
