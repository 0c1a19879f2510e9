package io.idw.pseudonymise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idw.pseudonymise.internal.HmacSha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Reads and writes a {@link KeySet} encrypted at rest under a {@link Kek}. The file is JSON: key
 * ids, statuses and dates in clear; each key's material wrapped with AES-256-GCM (Bouncy Castle),
 * a fresh 96-bit nonce per key and the key id as associated data; and an HMAC-SHA256 over the
 * metadata (primary, test flag, ids, statuses) under a key derived from the KEK, so a wrong KEK or
 * an edited file is refused before any key is used.
 */
public final class KeySetStore {
  /** The environment variable holding the KEK (base64 or hex of 32 bytes). */
  public static final String KEK_ENV = "IDW_KEK";
  public static final String FORMAT = "idw-keyset";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeySetStore() {}

  /** Writes a new key set file; refuses to overwrite an existing one. */
  public static void create(KeySet keys, Path file, Kek kek) {
    if (Files.exists(file)) {
      throw PseudonymiseErrors.keySetExists(file);
    }
    write(keys, file, kek);
  }

  /** Writes (or replaces, atomically) the key set file. */
  public static void write(KeySet keys, Path file, Kek kek) {
    byte[] kekBytes = kek.bytes();
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", 1);
    root.put("testOnly", keys.testOnly());
    root.put("primary", keys.primaryId());
    root.put("cipher", "AES-256-GCM");
    ArrayNode arr = root.putArray("keys");
    for (Key k : keys.keys()) {
      ObjectNode n = arr.addObject();
      n.put("id", k.id());
      n.put("status", k.status().name().toLowerCase());
      n.put("createdAt", k.createdAt().toString());
      byte[] m = k.materialForStorage();
      if (m != null) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] ct = gcm(true, kekBytes, nonce, aad(k.id()), m);
        byte[] blob = new byte[12 + ct.length];
        System.arraycopy(nonce, 0, blob, 0, 12);
        System.arraycopy(ct, 0, blob, 12, ct.length);
        n.put("wrapped", Base64.getEncoder().encodeToString(blob));
        java.util.Arrays.fill(m, (byte) 0);
      }
    }
    root.put("mac", Base64.getEncoder().encodeToString(metadataMac(kekBytes, root)));
    try {
      Path abs = file.toAbsolutePath();
      Files.createDirectories(abs.getParent());
      Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw PseudonymiseErrors.keySetUnreadable(file, "it cannot be written: " + e.getClass().getSimpleName(), e);
    }
  }

  /** Reads and decrypts; refuses a missing file, a wrong KEK or an altered file. */
  public static KeySet read(Path file, Kek kek) {
    if (!Files.isRegularFile(file)) {
      throw PseudonymiseErrors.keySetMissing(file);
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw PseudonymiseErrors.keySetUnreadable(file, "it is not valid JSON", e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("formatVersion").asInt() != 1) {
      throw PseudonymiseErrors.keySetUnreadable(file, "it is not an idw key set (format " + FORMAT + " version 1)", null);
    }
    byte[] kekBytes = kek.bytes();
    byte[] mac;
    try {
      mac = Base64.getDecoder().decode(root.path("mac").asText());
    } catch (IllegalArgumentException e) {
      throw PseudonymiseErrors.keySetWrongKek(file);
    }
    if (!MessageDigest.isEqual(mac, metadataMac(kekBytes, (ObjectNode) root))) {
      throw PseudonymiseErrors.keySetWrongKek(file);
    }
    List<Key> keys = new ArrayList<>();
    for (JsonNode n : root.path("keys")) {
      String id = n.path("id").asText();
      KeyStatus status = KeyStatus.valueOf(n.path("status").asText().toUpperCase());
      Instant created = Instant.parse(n.path("createdAt").asText());
      byte[] material = null;
      if (status != KeyStatus.DESTROYED) {
        byte[] blob = Base64.getDecoder().decode(n.path("wrapped").asText());
        byte[] nonce = java.util.Arrays.copyOf(blob, 12);
        byte[] ct = java.util.Arrays.copyOfRange(blob, 12, blob.length);
        try {
          material = gcm(false, kekBytes, nonce, aad(id), ct);
        } catch (IllegalStateException e) {
          throw PseudonymiseErrors.keySetWrongKek(file);
        }
      }
      keys.add(Key.of(id, status, created, material, SecretAccess.insecureSecretAccess()));
    }
    return KeySet.of(keys, root.path("primary").asText(), root.path("testOnly").asBoolean());
  }

  private static byte[] aad(String keyId) {
    return ("idw-keyset/v1/" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] metadataMac(byte[] kek, ObjectNode root) {
    StringBuilder sb = new StringBuilder("idw-keyset/v1|");
    sb.append(root.path("testOnly").asBoolean()).append('|').append(root.path("primary").asText());
    for (JsonNode n : root.path("keys")) {
      sb.append('|').append(n.path("id").asText()).append(':').append(n.path("status").asText())
          .append(':').append(n.path("createdAt").asText()).append(':').append(n.path("wrapped").asText(""));
    }
    byte[] macKey = DomainKeys.hkdf(kek, DomainKeys.SALT, "idw/v1/keyset-metadata".getBytes(StandardCharsets.UTF_8), 32);
    return new HmacSha256(macKey).mac(sb.toString().getBytes(StandardCharsets.UTF_8), 32);
  }

  private static byte[] gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] in) {
    GCMBlockCipher c = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    c.init(encrypt, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
    byte[] out = new byte[c.getOutputSize(in.length)];
    int n = c.processBytes(in, 0, in.length, out, 0);
    try {
      n += c.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("authentication failed");
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }
}
