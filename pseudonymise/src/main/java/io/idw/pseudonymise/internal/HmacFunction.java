package io.idw.pseudonymise.internal;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.objects.Invoke;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.ObjectType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Truncated HMAC-SHA256 of a string column's UTF-8 bytes, as lowercase hex (string) or raw bytes
 * (binary), evaluated inside Spark's generated code: the column becomes a Catalyst {@code Invoke}
 * of {@link #hex}/{@link #bytes} on this object, so whole-stage code generation passes Spark's own
 * {@code UTF8String} straight in. No conversion to Java strings, no boxing, no UDF, and the
 * precomputed inner/outer key states of {@link HmacSha256} (two SHA-256 compressions a value).
 *
 * <p>{@code toString} is redacted, so plans, explain output and logs never show the key.
 */
public final class HmacFunction implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final byte[] key;
  private final int outBytes;
  private transient HmacSha256 mac;
  private transient Thread owner;
  private transient byte[] full;
  private transient byte[] buf;

  public HmacFunction(byte[] key, int outBytes) {
    this.key = key.clone();
    this.outBytes = outBytes;
  }

  /** A Spark column: the hex (string) or raw (binary) truncated MAC of a string column; null stays null. */
  public Column column(Column input, boolean hexOutput) {
    Expression child = ExpressionUtils.expression(input.cast("string"));
    Literal target = Literal.fromObject(this, new ObjectType(HmacFunction.class));
    List<Expression> args = List.of(child);
    List<AbstractDataType> types = List.of();
    Invoke invoke = new Invoke(target, hexOutput ? "hex" : "bytes",
        hexOutput ? DataTypes.StringType : DataTypes.BinaryType,
        CollectionConverters.asScala(args).toList(), CollectionConverters.asScala(types).toList(),
        true, true, true);
    return ExpressionUtils.column(invoke);
  }

  private void mac(UTF8String s) {
    Thread t = Thread.currentThread();
    if (mac == null || owner != t) {
      mac = new HmacSha256(key);
      owner = t;
      full = new byte[32];
      buf = new byte[64];
    }
    Object base = s.getBaseObject();
    int n = s.numBytes();
    if (base instanceof byte[] arr) {
      mac.mac(arr, (int) (s.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET), n, full, 0);
    } else {
      if (buf.length < n) {
        buf = new byte[Math.max(n, 2 * buf.length)];
      }
      Platform.copyMemory(base, s.getBaseOffset(), buf, Platform.BYTE_ARRAY_OFFSET, n);
      mac.mac(buf, 0, n, full, 0);
    }
  }

  /** The lowercase-hex truncated MAC (called from generated code). */
  public UTF8String hex(UTF8String s) {
    if (s == null) {
      return null;
    }
    mac(s);
    byte[] out = new byte[outBytes * 2];
    for (int i = 0; i < outBytes; i++) {
      out[2 * i] = HEX[(full[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[full[i] & 0xf];
    }
    return UTF8String.fromBytes(out);
  }

  /** The raw truncated MAC (called from generated code). */
  public byte[] bytes(UTF8String s) {
    if (s == null) {
      return null;
    }
    mac(s);
    byte[] out = new byte[outBytes];
    System.arraycopy(full, 0, out, 0, outBytes);
    return out;
  }

  @Override
  public String toString() {
    return "idw_hmac(<key redacted>, " + outBytes * 8 + " bits)";
  }
}
