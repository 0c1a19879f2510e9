package io.idw.pseudonymise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A key-encryption key (KEK): 32 bytes that encrypt a {@link KeySet} at rest. It comes from a file
 * or from the environment variable {@value KeySetStore#KEK_ENV}, written as base64 or hex. There is
 * no default: without a KEK nothing runs. {@code toString} never shows the bytes.
 */
public final class Kek {
  private final byte[] bytes;
  private final String source;

  private Kek(byte[] bytes, String source) {
    this.bytes = bytes;
    this.source = source;
  }

  /** Parses base64 or hex text of exactly 32 bytes. */
  public static Kek parse(String text, String source) {
    if (text == null || text.isBlank()) {
      throw PseudonymiseErrors.kekInvalid(source, "it is empty");
    }
    String t = text.strip();
    byte[] b = null;
    if (t.matches("[0-9a-fA-F]{64}")) {
      b = HexFormat.of().parseHex(t);
    } else {
      try {
        b = Base64.getDecoder().decode(t);
      } catch (IllegalArgumentException e) {
        throw PseudonymiseErrors.kekInvalid(source, "it is neither base64 nor hex");
      }
    }
    if (b.length != 32) {
      throw PseudonymiseErrors.kekInvalid(source, "it decodes to " + b.length + " bytes, not 32");
    }
    return new Kek(b, source);
  }

  /** The KEK from a file, or from {@value KeySetStore#KEK_ENV} when {@code file} is null; refuses if neither. */
  public static Kek resolve(Path file) {
    if (file != null) {
      try {
        return parse(Files.readString(file, StandardCharsets.UTF_8), "file " + file);
      } catch (IOException e) {
        throw PseudonymiseErrors.kekInvalid("file " + file, "it cannot be read (" + e.getClass().getSimpleName() + ")");
      }
    }
    String env = System.getenv(KeySetStore.KEK_ENV);
    if (env == null || env.isBlank()) {
      throw PseudonymiseErrors.kekMissing(KeySetStore.KEK_ENV);
    }
    return parse(env, "environment variable " + KeySetStore.KEK_ENV);
  }

  /** A fresh random KEK (demo, tests). */
  public static Kek generate() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new Kek(b, "generated");
  }

  /** Writes the KEK as base64 to a file readable only by its owner (where the file system allows). */
  public void writeTo(Path file, SecretAccess access) {
    SecretAccess.check(access);
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
    } catch (IOException e) {
      throw PseudonymiseErrors.kekInvalid("file " + file, "it cannot be written (" + e.getClass().getSimpleName() + ")");
    }
  }

  byte[] bytes() {
    return bytes.clone();
  }

  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "Kek(from " + source + ")";
  }
}
