import io.idw.pseudonymise.internal.HmacFunction;
import io.idw.pseudonymise.internal.HmacSha256;
import java.security.MessageDigest;
import java.util.Locale;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Benchmark (not a test), plain Java, no Spark job: single-thread ns per row of what each side of
 * bench/pseudonymise/ratio.sh does per row, so the gap can be split into overheads and the second
 * SHA-256 compression that HMAC needs.
 *
 *   bench/pseudonymise/micro.sh [rows-per-pass] [passes]
 *
 * Rows: distinct 10-digit identifier strings as Spark UTF8Strings (as the ratio benchmark's ids).
 * (a) Spark's Sha2 codegen for 256 bits (Spark 4.1.0 bytecode): cast string to binary (getBytes),
 *     then UTF8String.fromString(DigestUtils.sha256Hex(bytes)); DigestUtils calls
 *     MessageDigest.getInstance("SHA-256") per row.
 * (b) idw's column function (HmacFunction.hex, as the generated code calls it) and the bare
 *     HmacSha256.macHex on the row's bytes.
 * (c) one SHA-256 compression: MessageDigest.update of one 64-byte block (whole-block update, no
 *     padding) and, amortised, of a 4 KiB buffer (64 blocks a call).
 */
public class HmacMicroBench {
  static long sink;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    UTF8String[] rows = new UTF8String[n];
    for (int i = 0; i < n; i++) {
      rows[i] = UTF8String.fromString(Long.toString(4_000_000_000L + (i * 7919L) % 5_999_999_999L));
    }
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i * 13 + 1);
    }
    HmacFunction f = new HmacFunction(key, 16);
    HmacSha256 h = new HmacSha256(key);
    byte[] hex = new byte[32];
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[64];
    byte[] big = new byte[4096];
    byte[] dig = new byte[32];

    Case[] cases = {
      new Case("a  spark sha2 row: getBytes + fromString(sha256Hex)", 1, () -> {
        for (UTF8String u : rows) {
          sink += UTF8String.fromString(DigestUtils.sha256Hex(u.getBytes())).numBytes();
        }
      }),
      new Case("a1 MessageDigest.getInstance(\"SHA-256\") only", 1, () -> {
        try {
          for (int i = 0; i < n; i++) {
            sink += MessageDigest.getInstance("SHA-256").getDigestLength();
          }
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }),
      new Case("a2 reused MessageDigest.digest(10 bytes) (1 compression)", 1, () -> {
        for (UTF8String u : rows) {
          md.update(u.getBytes());
          try {
            md.digest(dig, 0, 32);
          } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
          }
          sink += dig[0];
        }
      }),
      new Case("b  idw HmacFunction.hex (column path, 128-bit hex)", 1, () -> {
        for (UTF8String u : rows) {
          sink += f.hex(u).numBytes();
        }
      }),
      new Case("b1 idw HmacSha256.macHex on the row bytes", 1, () -> {
        for (UTF8String u : rows) {
          byte[] b = (byte[]) u.getBaseObject();
          h.macHex(b, (int) (u.getBaseOffset() - 16), u.numBytes(), 16, hex, 0);
          sink += hex[0];
        }
      }),
      new Case("c  one compression: MessageDigest.update(64 bytes)", 1, () -> {
        for (int i = 0; i < n; i++) {
          md.update(block, 0, 64);
        }
        md.reset();
      }),
      new Case("c1 one compression, amortised: update(4 KiB)/64", 64, () -> {
        for (int i = 0; i < n / 64; i++) {
          md.update(big, 0, 4096);
        }
        md.reset();
      }),
    };
    System.out.printf(Locale.ROOT, "HMAC micro bench: %,d rows a pass, %d passes, fast path %s, %s%n", n, passes, h.fast(),
        new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
    for (Case c : cases) {
      double best = Double.MAX_VALUE;
      double sum = 0;
      int counted = 0;
      for (int p = 0; p < passes; p++) {
        long t0 = System.nanoTime();
        c.body.run();
        double ns = (System.nanoTime() - t0) / (double) (c.perCall == 1 ? n : (n / c.perCall) * c.perCall);
        if (p >= passes / 3) { // first third is warm-up
          best = Math.min(best, ns);
          sum += ns;
          counted++;
        }
      }
      System.out.printf(Locale.ROOT, "  %-58s best %7.1f ns/op   mean %7.1f ns/op%n", c.name, best, sum / counted);
    }
    System.out.println("(sink " + sink + ")");
  }

  record Case(String name, int perCall, Runnable body) {}
}
