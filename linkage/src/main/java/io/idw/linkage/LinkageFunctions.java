package io.idw.linkage;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * The SQL functions comparison levels may call. {@code dice(a, b)} is the Dice coefficient
 * 2|a∧b|/(|a|+|b|) of two Bloom filters (binary columns of equal length); null if either is null
 * or both are empty.
 */
public final class LinkageFunctions {
  private LinkageFunctions() {}

  /** Registers the functions in the session (idempotent). */
  public static void register(SparkSession spark) {
    spark.udf().register("dice", (UDF2<byte[], byte[], Double>) LinkageFunctions::dice, DataTypes.DoubleType);
  }

  /** The Dice coefficient of two equal-length bit sets; null when undefined. */
  public static Double dice(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return null;
    }
    int n = Math.min(a.length, b.length);
    int both = 0;
    int ca = 0;
    int cb = 0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long x = readLong(a, i);
      long y = readLong(b, i);
      both += Long.bitCount(x & y);
      ca += Long.bitCount(x);
      cb += Long.bitCount(y);
    }
    for (; i < n; i++) {
      both += Integer.bitCount(a[i] & b[i] & 0xff);
      ca += Integer.bitCount(a[i] & 0xff);
      cb += Integer.bitCount(b[i] & 0xff);
    }
    for (int k = n; k < a.length; k++) {
      ca += Integer.bitCount(a[k] & 0xff);
    }
    for (int k = n; k < b.length; k++) {
      cb += Integer.bitCount(b[k] & 0xff);
    }
    if (ca + cb == 0) {
      return null;
    }
    return 2.0 * both / (ca + cb);
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** Eight bytes as one word (one unaligned load, not eight). */
  private static long readLong(byte[] a, int i) {
    return (long) LONGS.get(a, i);
  }
}
