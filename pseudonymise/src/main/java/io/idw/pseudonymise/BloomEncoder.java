package io.idw.pseudonymise;

import io.idw.pseudonymise.internal.HmacSha256;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keyed Bloom-filter encodings (cryptographic long-term keys, CLKs) of quasi-identifiers.
 *
 * <p>A value is split into q-grams (bigrams by default, padded with {@code _} at both ends). Each
 * q-gram sets {@code k} bits of a filter of {@code 2 * bits} positions; the positions are read
 * from {@code HMAC-SHA256(fieldKey, qgram || counter)} in 16-bit slices ("random hashing": no
 * double-hashing structure an attacker can exploit). Each field has its own HKDF-derived key
 * ({@code bloom/<field>}) and its own {@code k} (the bit budget). Hardening: the filter is
 * XOR-folded in half (Schnell, Borgs &amp; Encarnação 2016) to {@code bits} positions, which hides
 * which bits a single q-gram sets. The record-level {@code clk} is the OR of the unfolded field
 * filters, folded the same way.
 *
 * <p>Compare two encodings with Dice, {@code 2|a∧b| / (|a|+|b|)} ({@link #dice}).
 */
public final class BloomEncoder implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_BITS = 1024;

  /** The encoded fields and their default number of bits set per q-gram (the bit budget). */
  public static final Map<String, Integer> DEFAULT_K = defaultK();

  private final String keyId;
  private final int bits;
  private final int q;
  private final boolean xorFold;
  private final Map<String, Integer> k;
  private final Map<String, byte[]> fieldKeys;
  /** This thread's MACs per field; read once per call, so a shared instance never hands one MAC to two threads. */
  private transient OwnedMacs owned;

  private record OwnedMacs(Thread owner, Map<String, HmacSha256> macs) {}

  private static Map<String, Integer> defaultK() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("given_name", 15);
    m.put("family_name", 15);
    m.put("dob", 10);
    m.put("postcode", 10);
    return Map.copyOf(m);
  }

  private BloomEncoder(String keyId, int bits, int q, boolean xorFold, Map<String, Integer> k,
      Map<String, byte[]> fieldKeys) {
    this.keyId = keyId;
    this.bits = bits;
    this.q = q;
    this.xorFold = xorFold;
    this.k = Map.copyOf(k);
    this.fieldKeys = Map.copyOf(fieldKeys);
  }

  /** An encoder under the key set's primary key with the defaults: 1024 bits, bigrams, XOR-folding. */
  public static BloomEncoder of(KeySet keys) {
    return builder(keys.primary()).build();
  }

  public static Builder builder(Key key) {
    return new Builder(key);
  }

  /** Builder; {@link #build()} validates the parameters. */
  public static final class Builder {
    private final Key key;
    private int bits = DEFAULT_BITS;
    private int q = 2;
    private boolean xorFold = true;
    private final Map<String, Integer> k = new LinkedHashMap<>(DEFAULT_K);

    private Builder(Key key) {
      this.key = Objects.requireNonNull(key, "key");
    }

    /** Output length in bits (a multiple of 64, 128–4096). */
    public Builder bits(int v) { this.bits = v; return this; }
    /** The q of the q-grams (1–4). */
    public Builder q(int v) { this.q = v; return this; }
    /** XOR-folding hardening on (default) or off (for experiments only). */
    public Builder xorFold(boolean v) { this.xorFold = v; return this; }
    /** Bits set per q-gram for one field (1–32). */
    public Builder k(String field, int v) {
      if (!DEFAULT_K.containsKey(field)) {
        throw PseudonymiseErrors.mappingInvalid("'" + field + "' is not a Bloom-encoded field",
            "use one of " + DEFAULT_K.keySet());
      }
      k.put(field, v);
      return this;
    }

    public BloomEncoder build() {
      if (bits < 128 || bits > 4096 || bits % 64 != 0) {
        throw PseudonymiseErrors.mappingInvalid("Bloom filter length " + bits + " is out of range",
            "use a multiple of 64 between 128 and 4096 (default 1024)");
      }
      if (q < 1 || q > 4) {
        throw PseudonymiseErrors.mappingInvalid("q-gram length " + q + " is out of range", "use 1 to 4 (default 2)");
      }
      k.forEach((f, v) -> {
        if (v < 1 || v > 32) {
          throw PseudonymiseErrors.mappingInvalid("k=" + v + " for " + f + " is out of range", "use 1 to 32");
        }
      });
      Map<String, byte[]> keys = new LinkedHashMap<>();
      for (String f : DEFAULT_K.keySet()) {
        keys.put(f, DomainKeys.derive(key, DomainKeys.bloomPurpose(f), SecretAccess.insecureSecretAccess()));
      }
      return new BloomEncoder(key.id(), bits, q, xorFold, k, keys);
    }
  }

  public String keyId() { return keyId; }
  public int bits() { return bits; }
  public int q() { return q; }
  public boolean xorFold() { return xorFold; }
  public Map<String, Integer> k() { return k; }

  private int rawBits() {
    return xorFold ? 2 * bits : bits;
  }

  private HmacSha256 mac(String field) {
    OwnedMacs o = owned;
    if (o == null || o.owner() != Thread.currentThread()) {
      Map<String, HmacSha256> m = new LinkedHashMap<>();
      fieldKeys.forEach((f, key) -> m.put(f, new HmacSha256(key)));
      o = new OwnedMacs(Thread.currentThread(), m);
      owned = o;
    }
    HmacSha256 h = o.macs().get(field);
    if (h == null) {
      throw PseudonymiseErrors.mappingInvalid("'" + field + "' is not a Bloom-encoded field", "use one of " + DEFAULT_K.keySet());
    }
    return h;
  }

  /** The unfolded filter of a normalised value as a long[] bitset; null for null. */
  long[] rawFilter(String field, String normalised) {
    if (normalised == null || normalised.isEmpty()) {
      return null;
    }
    int m = rawBits();
    long[] set = new long[m / 64];
    String pad = "_".repeat(q - 1);
    String s = pad + normalised + pad;
    int kf = k.get(field);
    HmacSha256 h = mac(field);
    byte[] out = new byte[32];
    byte[] msg = new byte[4 * q + 1];
    for (int i = 0; i + q <= s.length(); i++) {
      // the q-gram's UTF-8 bytes then a block counter; ASCII grams without a String per gram
      int n = 0;
      for (int j = i; j < i + q && n >= 0; j++) {
        char c = s.charAt(j);
        n = c < 0x80 ? n + 1 : -1;
        if (n > 0) {
          msg[n - 1] = (byte) c;
        }
      }
      if (n < 0) {
        byte[] gram = s.substring(i, i + q).getBytes(StandardCharsets.UTF_8);
        if (msg.length < gram.length + 1) {
          msg = new byte[gram.length + 1];
        }
        System.arraycopy(gram, 0, msg, 0, gram.length);
        n = gram.length;
      }
      int set0 = 0;
      for (int block = 0; set0 < kf; block++) {
        msg[n] = (byte) block;
        h.mac(msg, 0, n + 1, out, 0);
        for (int j = 0; j < 16 && set0 < kf; j++, set0++) {
          int pos = (((out[2 * j] & 0xff) << 8) | (out[2 * j + 1] & 0xff)) % m; // m divides 2^16
          set[pos >>> 6] |= 1L << (pos & 63);
        }
      }
    }
    return set;
  }

  /** The encoding of one field's normalised value (see the class comment); null for null. */
  public byte[] encode(String field, String normalised) {
    long[] raw = rawFilter(field, normalised);
    return raw == null ? null : finish(raw);
  }

  /** The encoding of an unfolded filter from {@link #rawFilter}; null for null. */
  byte[] encodeRaw(long[] raw) {
    return raw == null ? null : finish(raw);
  }

  /** The record-level CLK of unfolded filters from {@link #rawFilter} (nulls skipped, inputs unchanged); null if all null. */
  byte[] clkOfRaw(long[]... raws) {
    long[] acc = null;
    for (long[] f : raws) {
      if (f == null) {
        continue;
      }
      if (acc == null) {
        acc = f.clone();
      } else {
        for (int i = 0; i < acc.length; i++) {
          acc[i] |= f[i];
        }
      }
    }
    return acc == null ? null : finish(acc);
  }

  /** The record-level CLK of normalised field values (null entries are skipped); null if all null. */
  public byte[] clk(Map<String, String> normalisedByField) {
    long[] acc = null;
    for (Map.Entry<String, String> e : normalisedByField.entrySet()) {
      long[] f = rawFilter(e.getKey(), e.getValue());
      if (f == null) {
        continue;
      }
      if (acc == null) {
        acc = f;
      } else {
        for (int i = 0; i < acc.length; i++) {
          acc[i] |= f[i];
        }
      }
    }
    return acc == null ? null : finish(acc);
  }

  private byte[] finish(long[] raw) {
    long[] outWords = raw;
    if (xorFold) {
      int half = raw.length / 2;
      outWords = new long[half];
      for (int i = 0; i < half; i++) {
        outWords[i] = raw[i] ^ raw[i + half];
      }
    }
    byte[] out = new byte[outWords.length * 8];
    for (int i = 0; i < outWords.length; i++) {
      long w = outWords[i];
      for (int b = 0; b < 8; b++) {
        out[i * 8 + b] = (byte) (w >>> (8 * b)); // bit n of the filter is bit n%8 of byte n/8
      }
    }
    return out;
  }

  /** Dice coefficient {@code 2|a∧b| / (|a|+|b|)} of two equal-length filters; null if either is null. */
  public static Double dice(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return null;
    }
    if (a.length != b.length) {
      throw new IllegalArgumentException("filters of different lengths: " + a.length + " and " + b.length + " bytes");
    }
    int and = 0;
    int ca = 0;
    int cb = 0;
    for (int i = 0; i < a.length; i++) {
      and += Integer.bitCount(a[i] & b[i] & 0xff);
      ca += Integer.bitCount(a[i] & 0xff);
      cb += Integer.bitCount(b[i] & 0xff);
    }
    return ca + cb == 0 ? 0.0 : 2.0 * and / (ca + cb);
  }

  @Override
  public String toString() {
    return "BloomEncoder(key=" + keyId + ", bits=" + bits + ", q=" + q + ", xorFold=" + xorFold + ", k=" + k + ")";
  }
}
