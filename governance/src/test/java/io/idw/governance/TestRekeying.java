package io.idw.governance;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/** A keyed re-keying for tests: HMAC-SHA256(secret, domain NUL person id), 128 bits hex. */
final class TestRekeying implements PersonIdRekeying {
  private static final long serialVersionUID = 1L;
  private final byte[] secret;
  private final String keyId;

  TestRekeying(String keyId, String secret) {
    this.keyId = keyId;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String keyId(String domain) {
    return keyId;
  }

  @Override
  public Column rekey(Column personId, String domain) {
    byte[] k = secret;
    UserDefinedFunction f = udf((UDF2<String, String, String>) (id, d) -> {
      if (id == null) {
        return null;
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(k, "HmacSHA256"));
      byte[] h = mac.doFinal((d + "\u0000" + id).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    }, DataTypes.StringType);
    return f.apply(personId, lit(domain));
  }
}
