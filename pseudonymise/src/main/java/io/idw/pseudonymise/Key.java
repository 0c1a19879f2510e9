package io.idw.pseudonymise;

import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One master key of a {@link KeySet}: an id, a status, a creation time and 32 secret bytes (none
 * when destroyed). The bytes are reachable only through {@link #material(SecretAccess)};
 * {@link #toString()} never shows them. Domain keys are derived from it with HKDF, see
 * {@link DomainKeys}.
 */
public final class Key implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int LENGTH = 32;
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{1,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final KeyStatus status;
  private final Instant createdAt;
  private final byte[] material;

  private Key(String id, KeyStatus status, Instant createdAt, byte[] material) {
    if (id == null || !ID.matcher(id).matches()) {
      throw PseudonymiseErrors.keySetInvalid("key id '" + id + "' is not lower-case letters, digits, '-' or '_' (2-64)");
    }
    Objects.requireNonNull(status, "status");
    if (status == KeyStatus.DESTROYED) {
      material = null;
    } else if (material == null || material.length != LENGTH) {
      throw PseudonymiseErrors.keySetInvalid("key " + id + " must have " + LENGTH + " bytes of material");
    }
    this.id = id;
    this.status = status;
    this.createdAt = createdAt == null ? Instant.now() : createdAt;
    this.material = material == null ? null : material.clone();
  }

  /** A fresh random key with a random id, enabled. */
  public static Key generate() {
    byte[] m = new byte[LENGTH];
    RANDOM.nextBytes(m);
    byte[] idb = new byte[4];
    RANDOM.nextBytes(idb);
    return new Key("k" + HexFormat.of().formatHex(idb), KeyStatus.ENABLED, Instant.now(), m);
  }

  /** A key from known bytes (import, tests and known-answer vectors). */
  public static Key of(String id, KeyStatus status, Instant createdAt, byte[] material, SecretAccess access) {
    SecretAccess.check(access);
    return new Key(id, status, createdAt, material);
  }

  public String id() {
    return id;
  }

  public KeyStatus status() {
    return status;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** A copy of this key with another status; destroying erases the material. */
  public Key withStatus(KeyStatus s) {
    if (this.status == KeyStatus.DESTROYED && s != KeyStatus.DESTROYED) {
      throw PseudonymiseErrors.keyNotUsable(id, "destroyed (its material is gone)");
    }
    return new Key(id, s, createdAt, material);
  }

  /** The secret bytes (a copy). Throws if the key is not enabled. */
  public byte[] material(SecretAccess access) {
    SecretAccess.check(access);
    if (status != KeyStatus.ENABLED) {
      throw PseudonymiseErrors.keyNotUsable(id, status.name().toLowerCase());
    }
    return material.clone();
  }

  /** The secret bytes for storage, whatever the status (null when destroyed). */
  byte[] materialForStorage() {
    return material == null ? null : material.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key k && k.id.equals(id) && k.status == status
        && Arrays.equals(k.material, material);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Key(id=" + id + ", status=" + status.name().toLowerCase() + ", createdAt=" + createdAt + ")";
  }
}
