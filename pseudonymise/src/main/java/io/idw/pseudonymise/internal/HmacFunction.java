package io.idw.pseudonymise.internal;

import java.io.Serializable;
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

  private final byte[] key;
  private final int outBytes;
  private transient State state;

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

  /** One thread's MAC and scratch buffers; read once per call, so a shared instance never mixes threads' buffers. */
  private static final class State {
    final Thread owner = Thread.currentThread();
    final HmacSha256 mac;
    final byte[] full = new byte[32];
    byte[] buf = new byte[64];

    State(byte[] key) {
      mac = new HmacSha256(key);
    }

    /** The bytes of {@code s} in a heap array: its own when on heap, else a copy into {@link #buf}. */
    byte[] heapBytes(UTF8String s) {
      Object base = s.getBaseObject();
      if (base instanceof byte[] arr) {
        return arr;
      }
      int n = s.numBytes();
      if (buf.length < n) {
        buf = new byte[Math.max(n, 2 * buf.length)];
      }
      Platform.copyMemory(base, s.getBaseOffset(), buf, Platform.BYTE_ARRAY_OFFSET, n);
      return buf;
    }
  }

  private State state() {
    State st = state;
    if (st == null || st.owner != Thread.currentThread()) {
      st = new State(key);
      state = st;
    }
    return st;
  }

  private static int heapOffset(UTF8String s) {
    return s.getBaseObject() instanceof byte[] ? (int) (s.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET) : 0;
  }

  /** The lowercase-hex truncated MAC (called from generated code). */
  public UTF8String hex(UTF8String s) {
    if (s == null) {
      return null;
    }
    State st = state();
    byte[] out = new byte[outBytes * 2];
    st.mac.macHex(st.heapBytes(s), heapOffset(s), s.numBytes(), outBytes, out, 0);
    return UTF8String.fromBytes(out);
  }

  /** The raw truncated MAC (called from generated code). */
  public byte[] bytes(UTF8String s) {
    if (s == null) {
      return null;
    }
    State st = state();
    st.mac.mac(st.heapBytes(s), heapOffset(s), s.numBytes(), st.full, 0);
    byte[] out = new byte[outBytes];
    System.arraycopy(st.full, 0, out, 0, outBytes);
    return out;
  }

  @Override
  public String toString() {
    return "idw_hmac(<key redacted>, " + outBytes * 8 + " bits)";
  }
}
