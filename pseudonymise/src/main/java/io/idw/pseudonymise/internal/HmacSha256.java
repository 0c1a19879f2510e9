package io.idw.pseudonymise.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) with the inner and outer key states precomputed, so a MAC of a message of
 * up to 55 bytes costs exactly two SHA-256 compressions, both on the JDK's SHA-256 and so on the
 * CPU's SHA instructions (SHA-NI, a HotSpot intrinsic of the JDK's multi-block compression).
 *
 * <p>The fast path allocates nothing: it keeps one JDK SHA-256 engine per instance, holds a
 * reference to that engine's own state array (found once, at construction, through
 * {@code sun.misc.Unsafe}; no {@code --add-opens} needed), writes a precomputed key state into it,
 * and feeds it whole blocks it pads itself, so the JDK compresses them straight into that state
 * and the MAC is read from it. Nothing JDK-internal is touched per call. If the JDK does not have
 * that layout, or a self-test against the portable path disagrees, every MAC takes the portable
 * path: {@code clone()} of the precomputed {@code MessageDigest} states (same result, a few small
 * allocations a MAC). Measured figures: see {@code bench/pseudonymise}.
 *
 * <p>Not thread-safe; one instance per thread. Only the hashed key pads are kept, and the message
 * bytes copied into the padding buffer are zeroed after each MAC.
 */
public final class HmacSha256 {
  private static final int BLOCK = 64;
  private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /** Bit length of the outer message: the opad block plus the 32-byte inner hash. */
  private static final int OUTER_BITS = (BLOCK + 32) * 8;

  // portable path
  private final MessageDigest innerDigest;
  private final MessageDigest outerDigest;
  private final byte[] inner = new byte[32];
  private final byte[] full = new byte[32];

  // fast path (null engine when unavailable)
  private MessageDigest engine;
  private int[] state;
  private final int[] innerState = new int[8];
  private final int[] outerState = new int[8];
  /** The padded last block(s) of the inner message; all zero between MACs except a length field. */
  private final byte[] tail = new byte[2 * BLOCK];
  private final byte[] outerBlock = new byte[BLOCK];

  public HmacSha256(byte[] key) {
    byte[] ipad = new byte[BLOCK];
    byte[] opad = new byte[BLOCK];
    try {
      byte[] k = key;
      if (k.length > BLOCK) {
        k = MessageDigest.getInstance("SHA-256").digest(k);
      }
      for (int i = 0; i < BLOCK; i++) {
        byte b = i < k.length ? k[i] : 0;
        ipad[i] = (byte) (b ^ 0x36);
        opad[i] = (byte) (b ^ 0x5c);
      }
      innerDigest = MessageDigest.getInstance("SHA-256");
      innerDigest.update(ipad);
      outerDigest = MessageDigest.getInstance("SHA-256");
      outerDigest.update(opad);
      innerDigest.clone(); // fail now, not per row, if the provider cannot clone
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 with state cloning is required", e);
    }
    MessageDigest e = null;
    int[] st = null;
    try {
      e = MessageDigest.getInstance("SHA-256");
      st = EngineState.of(e);
    } catch (NoSuchAlgorithmException | RuntimeException | LinkageError ex) {
      st = null;
    }
    if (st != null) {
      e.update(ipad, 0, BLOCK);
      System.arraycopy(st, 0, innerState, 0, 8);
      e.reset();
      e.update(opad, 0, BLOCK);
      System.arraycopy(st, 0, outerState, 0, 8);
      outerBlock[32] = (byte) 0x80;
      outerBlock[62] = (byte) (OUTER_BITS >>> 8);
      outerBlock[63] = (byte) OUTER_BITS;
    }
    Arrays.fill(ipad, (byte) 0);
    Arrays.fill(opad, (byte) 0);
    this.engine = st == null ? null : e;
    this.state = st;
    if (engine != null && !selfTestPasses()) {
      this.engine = null; // never expected; the portable path gives the same MACs
      this.state = null;
    }
  }

  /** True when MACs run on the allocation-free fast path (the JDK engine's state is reachable). */
  public boolean fast() {
    return engine != null;
  }

  /** The full 32-byte MAC of {@code msg[off, off+len)}, written to {@code out[outOff..outOff+32)}. */
  public void mac(byte[] msg, int off, int len, byte[] out, int outOff) {
    if (engine == null) {
      portable(msg, off, len, out, outOff);
      return;
    }
    fastMac(msg, off, len);
    bigEndian(state, out, outOff);
  }

  /**
   * The MAC truncated to its leftmost {@code nBytes} bytes as lowercase hex ASCII, written to
   * {@code hex[hexOff..hexOff+2*nBytes)}.
   */
  public void macHex(byte[] msg, int off, int len, int nBytes, byte[] hex, int hexOff) {
    if (engine == null) {
      portable(msg, off, len, full, 0);
      for (int i = 0; i < nBytes; i++) {
        int v = full[i] & 0xff;
        hex[hexOff + 2 * i] = HEX[v >>> 4];
        hex[hexOff + 2 * i + 1] = HEX[v & 0xf];
      }
      return;
    }
    fastMac(msg, off, len);
    int[] st = state;
    int words = nBytes >> 2;
    for (int w = 0; w < words; w++) {
      LONG_BE.set(hex, hexOff + 8 * w, hex8(st[w]));
    }
    for (int i = 4 * words; i < nBytes; i++) {
      int v = (st[i >> 2] >>> (24 - 8 * (i & 3))) & 0xff;
      hex[hexOff + 2 * i] = HEX[v >>> 4];
      hex[hexOff + 2 * i + 1] = HEX[v & 0xf];
    }
  }

  /** The 8 lowercase hex digits of {@code v} as ASCII bytes in a long, most significant digit first. */
  private static long hex8(int v) {
    long x = v & 0xffffffffL;
    x = (x | (x << 16)) & 0x0000ffff0000ffffL;
    x = (x | (x << 8)) & 0x00ff00ff00ff00ffL;
    x = (x | (x << 4)) & 0x0f0f0f0f0f0f0f0fL; // one nibble a byte
    long letters = ((x + 0x0606060606060606L) >>> 4) & 0x0101010101010101L; // 1 where the nibble is 10..15
    return x + 0x3030303030303030L + letters * ('a' - '0' - 10);
  }

  /** The MAC truncated to {@code n} bytes (leftmost, as RFC 2104 section 5 specifies). */
  public byte[] mac(byte[] msg, int n) {
    byte[] out = new byte[32];
    mac(msg, 0, msg.length, out, 0);
    return n == 32 ? out : Arrays.copyOf(out, n);
  }

  /** Leaves the MAC in {@link #state}: the engine compresses whole blocks straight into it. */
  private void fastMac(byte[] msg, int off, int len) {
    int[] st = state;
    MessageDigest e = engine;
    System.arraycopy(innerState, 0, st, 0, 8);
    int whole = len & ~(BLOCK - 1);
    if (whole > 0) {
      e.update(msg, off, whole);
    }
    int rem = len - whole;
    byte[] t = tail;
    System.arraycopy(msg, off + whole, t, 0, rem);
    t[rem] = (byte) 0x80;
    long bits = (BLOCK + (long) len) * 8;
    if (rem < 56) { // one block; bytes rem+1..55 are already zero
      LONG_BE.set(t, 56, bits);
      e.update(t, 0, BLOCK);
      Arrays.fill(t, 0, rem + 1, (byte) 0);
    } else { // two blocks
      Arrays.fill(t, rem + 1, 2 * BLOCK - 8, (byte) 0);
      LONG_BE.set(t, 2 * BLOCK - 8, bits);
      e.update(t, 0, 2 * BLOCK);
      Arrays.fill(t, 0, 2 * BLOCK, (byte) 0);
    }

    bigEndian(st, outerBlock, 0);
    System.arraycopy(outerState, 0, st, 0, 8);
    e.update(outerBlock, 0, BLOCK);
  }

  /** The eight state words as 32 big-endian bytes at {@code out[off..off+32)}. */
  private static void bigEndian(int[] st, byte[] out, int off) {
    for (int i = 0; i < 8; i++) {
      INT_BE.set(out, off + 4 * i, st[i]);
    }
  }

  private void portable(byte[] msg, int off, int len, byte[] out, int outOff) {
    try {
      MessageDigest d = (MessageDigest) innerDigest.clone();
      d.update(msg, off, len);
      d.digest(inner, 0, 32);
      MessageDigest o = (MessageDigest) outerDigest.clone();
      o.update(inner, 0, 32);
      o.digest(out, outOff, 32);
    } catch (CloneNotSupportedException | DigestException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** Both paths agree on messages across the one-, two- and three-block boundaries. */
  private boolean selfTestPasses() {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    byte[] msg = new byte[130];
    for (int i = 0; i < msg.length; i++) {
      msg[i] = (byte) (i * 31 + 7);
    }
    for (int len : new int[] {0, 1, 10, 55, 56, 63, 64, 65, 119, 120, 10, 60, 3, 128, 55}) {
      fastMac(msg, 1, len);
      bigEndian(state, a, 0);
      portable(msg, 1, len, b, 0);
      if (!Arrays.equals(a, b)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "HmacSha256";
  }

  /**
   * The JDK SHA-256 engine's own {@code int[8]} state array, reached once through
   * {@code sun.misc.Unsafe} field offsets ({@code MessageDigest$Delegate.digestSpi},
   * {@code sun.security.provider.SHA2.state}); null when the JDK is laid out otherwise.
   */
  private static final class EngineState {
    private static final Object UNSAFE;
    private static final Method GET_OBJECT;
    private static final Field SPI;
    private static final Field STATE;
    private static final long SPI_OFFSET;
    private static final long STATE_OFFSET;

    static {
      Object u = null;
      Method get = null;
      Field spi = null;
      Field st = null;
      long spiOff = -1;
      long stOff = -1;
      try {
        Class<?> uc = Class.forName("sun.misc.Unsafe");
        Field tu = uc.getDeclaredField("theUnsafe");
        tu.setAccessible(true);
        u = tu.get(null);
        Method off = uc.getMethod("objectFieldOffset", Field.class);
        get = uc.getMethod("getObject", Object.class, long.class);
        spi = field(MessageDigest.getInstance("SHA-256").getClass(), "digestSpi");
        st = field(Class.forName("sun.security.provider.SHA2"), "state");
        if (spi != null && st != null && st.getType() == int[].class) {
          spiOff = (Long) off.invoke(u, spi);
          stOff = (Long) off.invoke(u, st);
        }
      } catch (ReflectiveOperationException | NoSuchAlgorithmException | RuntimeException | LinkageError e) {
        u = null;
      }
      UNSAFE = u;
      GET_OBJECT = get;
      SPI = spi;
      STATE = st;
      SPI_OFFSET = spiOff;
      STATE_OFFSET = stOff;
    }

    private static Field field(Class<?> c, String name) {
      for (Class<?> k = c; k != null; k = k.getSuperclass()) {
        try {
          return k.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
          // look in the superclass
        }
      }
      return null;
    }

    static int[] of(MessageDigest md) {
      if (UNSAFE == null || SPI_OFFSET < 0 || STATE_OFFSET < 0 || !SPI.getDeclaringClass().isInstance(md)) {
        return null;
      }
      try {
        Object spi = GET_OBJECT.invoke(UNSAFE, md, SPI_OFFSET);
        if (!STATE.getDeclaringClass().isInstance(spi)) {
          return null;
        }
        Object st = GET_OBJECT.invoke(UNSAFE, spi, STATE_OFFSET);
        return st instanceof int[] a && a.length == 8 ? a : null;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }
}
