package io.idw.pseudonymise;

import io.idw.core.IdentifierType;
import io.idw.pseudonymise.internal.HmacFunction;
import io.idw.pseudonymise.internal.HmacSha256;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Keyed pseudonyms: {@code HMAC-SHA256(domainKey, utf8(normalisedValue))} truncated to the leftmost
 * {@link #bits()} bits (128 by default), written as lowercase hex. The domain key is derived from a
 * master key with {@link DomainKeys} for one purpose (an identifier type or a token field), and
 * every pseudonym is reported with the {@link #keyId()} of that master key.
 *
 * <p>Callers pass values already normalised and validated ({@link NhsNumber}, {@link Normalise});
 * null in gives null out, so an invalid value is never hashed. Serializable, so it can run inside
 * Spark functions; the key bytes are never printed.
 */
public final class Pseudonymiser implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_BITS = 128;
  private static final Set<Integer> ALLOWED_BITS = Set.of(64, 96, 128, 192, 256);

  private final String keyId;
  private final String purpose;
  private final int bits;
  private final byte[] domainKey;
  /** This thread's MAC; read once per call, so a shared instance never hands one MAC to two threads. */
  private transient OwnedMac owned;

  private record OwnedMac(Thread owner, HmacSha256 mac) {}

  private Pseudonymiser(String keyId, String purpose, int bits, byte[] domainKey) {
    if (!ALLOWED_BITS.contains(bits)) {
      throw PseudonymiseErrors.badPseudonymBits(bits);
    }
    this.keyId = keyId;
    this.purpose = purpose;
    this.bits = bits;
    this.domainKey = domainKey;
  }

  /** Pseudonyms of an identifier type under the key set's primary key, 128 bits. */
  public static Pseudonymiser of(KeySet keys, IdentifierType type) {
    return forPurpose(keys.primary(), DomainKeys.pseudonymPurpose(type), DEFAULT_BITS);
  }

  /** Pseudonyms of an identifier type under a given master key and length. */
  public static Pseudonymiser of(Key key, IdentifierType type, int bits) {
    return forPurpose(key, DomainKeys.pseudonymPurpose(type), bits);
  }

  /** Keyed values for any {@link DomainKeys} purpose (tokens, project re-keying). */
  public static Pseudonymiser forPurpose(Key key, String purpose, int bits) {
    Objects.requireNonNull(key, "key");
    return new Pseudonymiser(key.id(), purpose,
        bits, DomainKeys.derive(key, purpose, SecretAccess.insecureSecretAccess()));
  }

  /** The same purpose and key at another length. */
  public Pseudonymiser withBits(int newBits) {
    return new Pseudonymiser(keyId, purpose, newBits, domainKey);
  }

  public String keyId() {
    return keyId;
  }

  public String purpose() {
    return purpose;
  }

  public int bits() {
    return bits;
  }

  /** The derived domain key, for auditors checking with independent tools (test key sets only). */
  public byte[] domainKey(SecretAccess access) {
    SecretAccess.check(access);
    return domainKey.clone();
  }

  private HmacSha256 mac() {
    OwnedMac o = owned;
    if (o == null || o.owner() != Thread.currentThread()) {
      o = new OwnedMac(Thread.currentThread(), new HmacSha256(domainKey));
      owned = o;
    }
    return o.mac();
  }

  /** The truncated MAC of raw bytes. */
  public byte[] pseudonymBytes(byte[] message) {
    return mac().mac(message, bits / 8);
  }

  /** The lowercase-hex pseudonym of a normalised value; null for null. */
  public String pseudonym(String normalised) {
    if (normalised == null) {
      return null;
    }
    byte[] msg = normalised.getBytes(StandardCharsets.UTF_8);
    byte[] hex = new byte[bits / 4];
    mac().macHex(msg, 0, msg.length, bits / 8, hex, 0);
    return new String(hex, StandardCharsets.ISO_8859_1);
  }

  /**
   * A Spark column: the hex pseudonym of a column of normalised values (null stays null). Runs in
   * Spark's generated code on its own UTF-8 bytes ({@link HmacFunction}), not as a UDF.
   */
  public Column column(Column normalised) {
    return new HmacFunction(domainKey, bits / 8).column(normalised, true);
  }

  /** A Spark column: the pseudonym as raw bytes ({@code binary(bits/8)}); null stays null. */
  public Column binaryColumn(Column normalised) {
    return new HmacFunction(domainKey, bits / 8).column(normalised, false);
  }

  /** The Spark function behind {@link #column}. */
  public UserDefinedFunction udf() {
    Pseudonymiser self = this;
    return functions.udf((UDF1<String, String>) self::pseudonym, DataTypes.StringType)
        .withName("idw_pseudonym");
  }

  /**
   * The birthday-bound probability that at least two of {@code population} distinct values share a
   * pseudonym of {@code bits} bits: {@code 1 - exp(-n(n-1) / 2^(bits+1))}.
   */
  public static double collisionProbability(long population, int bits) {
    double n = population;
    double x = n * (n - 1) / Math.pow(2, bits + 1);
    return -Math.expm1(-x);
  }

  /** A one-line warning of the collision risk for a population, for 64-bit pseudonyms. */
  public static String collisionWarning(long population, int bits) {
    return String.format("pseudonym length %d bits: probability of at least one collision among %,d people is %.3g"
        + " (birthday bound)%s", bits, population, collisionProbability(population, bits),
        bits < 128 ? "; a collision silently merges two people at linkage; 128 bits makes it negligible" : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pseudonymiser p && p.keyId.equals(keyId) && p.purpose.equals(purpose)
        && p.bits == bits && Arrays.equals(p.domainKey, domainKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, purpose, bits);
  }

  @Override
  public String toString() {
    return "Pseudonymiser(key=" + keyId + ", purpose=" + purpose + ", bits=" + bits + ")";
  }
}
