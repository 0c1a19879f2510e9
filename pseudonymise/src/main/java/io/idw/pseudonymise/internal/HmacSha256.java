package io.idw.pseudonymise.internal;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) with the inner and outer key states precomputed: each MAC of a short
 * message costs two SHA-256 compressions plus two state clones, on the JDK's SHA-256 (which uses
 * the CPU's SHA instructions where present). Not thread-safe; one instance per thread.
 */
public final class HmacSha256 {
  private static final int BLOCK = 64;
  private final MessageDigest innerState;
  private final MessageDigest outerState;
  private final byte[] inner = new byte[32];

  public HmacSha256(byte[] key) {
    try {
      byte[] k = key;
      if (k.length > BLOCK) {
        k = MessageDigest.getInstance("SHA-256").digest(k);
      }
      byte[] ipad = new byte[BLOCK];
      byte[] opad = new byte[BLOCK];
      for (int i = 0; i < BLOCK; i++) {
        byte b = i < k.length ? k[i] : 0;
        ipad[i] = (byte) (b ^ 0x36);
        opad[i] = (byte) (b ^ 0x5c);
      }
      innerState = MessageDigest.getInstance("SHA-256");
      innerState.update(ipad);
      outerState = MessageDigest.getInstance("SHA-256");
      outerState.update(opad);
      java.util.Arrays.fill(ipad, (byte) 0);
      java.util.Arrays.fill(opad, (byte) 0);
      innerState.clone(); // fail now, not per row, if the provider cannot clone
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 with state cloning is required", e);
    }
  }

  /** The full 32-byte MAC of {@code msg[off, off+len)}, written to {@code out[outOff..outOff+32)}. */
  public void mac(byte[] msg, int off, int len, byte[] out, int outOff) {
    try {
      MessageDigest d = (MessageDigest) innerState.clone();
      d.update(msg, off, len);
      d.digest(inner, 0, 32);
      MessageDigest o = (MessageDigest) outerState.clone();
      o.update(inner, 0, 32);
      o.digest(out, outOff, 32);
    } catch (CloneNotSupportedException | DigestException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The MAC truncated to {@code n} bytes (leftmost, as RFC 2104 section 5 specifies). */
  public byte[] mac(byte[] msg, int n) {
    byte[] full = new byte[32];
    mac(msg, 0, msg.length, full, 0);
    if (n == 32) {
      return full;
    }
    byte[] out = new byte[n];
    System.arraycopy(full, 0, out, 0, n);
    return out;
  }

  @Override
  public String toString() {
    return "HmacSha256";
  }
}
