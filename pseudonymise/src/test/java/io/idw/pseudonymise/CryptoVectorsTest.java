package io.idw.pseudonymise;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.IdentifierType;
import io.idw.pseudonymise.internal.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 4231 (HMAC-SHA256), RFC 5869 (HKDF) and known-answer pseudonyms. */
class CryptoVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] rep(int b, int n) {
    byte[] a = new byte[n];
    Arrays.fill(a, (byte) b);
    return a;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String mac(byte[] key, byte[] data, int n) {
    return HEX.formatHex(new HmacSha256(key).mac(data, n));
  }

  @Test
  void rfc4231TestCases() {
    byte[] key4 = new byte[25];
    for (int i = 0; i < 25; i++) {
      key4[i] = (byte) (i + 1);
    }
    assertThat(mac(rep(0x0b, 20), ascii("Hi There"), 32))
        .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    assertThat(mac(ascii("Jefe"), ascii("what do ya want for nothing?"), 32))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assertThat(mac(rep(0xaa, 20), rep(0xdd, 50), 32))
        .isEqualTo("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    assertThat(mac(key4, rep(0xcd, 50), 32))
        .isEqualTo("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    assertThat(mac(rep(0x0c, 20), ascii("Test With Truncation"), 16))
        .isEqualTo("a3b6167473100ee06e0c796c2955552b");
    assertThat(mac(rep(0xaa, 131), ascii("Test Using Larger Than Block-Size Key - Hash Key First"), 32))
        .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    assertThat(mac(rep(0xaa, 131), ascii("This is a test using a larger than block-size key and a larger than "
        + "block-size data. The key needs to be hashed before being used by the HMAC algorithm."), 32))
        .isEqualTo("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  }

  @Test
  void fastHmacAgreesWithJcaOnRandomInputs() throws Exception {
    Random r = new Random(42);
    for (int t = 0; t < 300; t++) {
      byte[] key = new byte[1 + r.nextInt(100)];
      byte[] msg = new byte[r.nextInt(200)];
      r.nextBytes(key);
      r.nextBytes(msg);
      Mac jca = Mac.getInstance("HmacSHA256");
      jca.init(new SecretKeySpec(key, "HmacSHA256"));
      HmacSha256 h = new HmacSha256(key);
      assertThat(h.fast()).as("the allocation-free SHA-NI path is active on this JDK (else only slower)").isTrue();
      assertThat(h.mac(msg, 32)).isEqualTo(jca.doFinal(msg));
      assertThat(h.mac(msg, 32)).as("repeatable on the same instance").isEqualTo(jca.doFinal(msg));
      byte[] hex = new byte[34];
      h.macHex(msg, 0, msg.length, 16, hex, 1);
      assertThat(new String(hex, 1, 32, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo(HEX.formatHex(jca.doFinal(msg), 0, 16));
    }
  }

  @Test
  void oneInstanceStaysCorrectAcrossMixedLengthsAndHexWidths() throws Exception {
    Random r = new Random(7);
    byte[] key = new byte[32];
    r.nextBytes(key);
    Mac jca = Mac.getInstance("HmacSHA256");
    jca.init(new SecretKeySpec(key, "HmacSHA256"));
    HmacSha256 h = new HmacSha256(key);
    int[] widths = {8, 13, 16, 32};
    for (int t = 0; t < 400; t++) {
      // short ids, one- and two-block tails and multi-block messages, interleaved on the same state
      byte[] msg = new byte[t % 3 == 0 ? r.nextInt(12) : r.nextInt(200)];
      r.nextBytes(msg);
      int n = widths[t % widths.length];
      byte[] hex = new byte[2 * n + 3];
      h.macHex(msg, 0, msg.length, n, hex, 2);
      assertThat(new String(hex, 2, 2 * n, java.nio.charset.StandardCharsets.US_ASCII))
          .as("length %d, %d bytes", msg.length, n).isEqualTo(HEX.formatHex(jca.doFinal(msg), 0, n));
    }
  }

  @Test
  void rfc5869HkdfTestCase1() {
    byte[] okm = DomainKeys.hkdf(rep(0x0b, 22), HEX.parseHex("000102030405060708090a0b0c"),
        HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assertThat(HEX.formatHex(okm)).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  static Key fixedKey() {
    byte[] m = new byte[32];
    for (int i = 0; i < 32; i++) {
      m[i] = (byte) i;
    }
    return Key.of("ktest01", KeyStatus.ENABLED, Instant.parse("2024-01-01T00:00:00Z"), m,
        SecretAccess.insecureSecretAccess());
  }

  @Test
  void knownAnswerPseudonymMatchesOpensslComputation() {
    // Computed independently: HKDF by hand with Python's hmac, then
    // printf %s 9434765919 | openssl dgst -sha256 -mac HMAC -macopt hexkey:<derived key>
    Pseudonymiser p = Pseudonymiser.of(fixedKey(), IdentifierType.NHS_NUMBER, 128);
    assertThat(HEX.formatHex(p.domainKey(SecretAccess.insecureSecretAccess())))
        .isEqualTo("692e632ece90204496f2ea3b7c3f9e3ca98d8a414c23d615ec90b49b31302a2c");
    assertThat(p.pseudonym("9434765919")).isEqualTo("55c4c61514a52040c4f62639f67283f3");
    assertThat(p.withBits(64).pseudonym("9434765919")).isEqualTo("55c4c61514a52040");
    assertThat(p.withBits(256).pseudonym("9434765919"))
        .isEqualTo("55c4c61514a52040c4f62639f67283f3244cacce2c6efd07d18e8e57bd9ac260");
  }

  @Test
  void knownAnswerPseudonymsMatchAnIndependentJcaHkdfAndHmac() throws Exception {
    Key k = fixedKey();
    for (IdentifierType t : List.of(IdentifierType.NHS_NUMBER, IdentifierType.UPRN, IdentifierType.SOCIAL_CARE_ID)) {
      byte[] domain = jcaHkdf(k.material(SecretAccess.insecureSecretAccess()),
          ascii("idw/hkdf/v1"), ascii("idw/v1/pseudonym/" + t.wireName()));
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(domain, "HmacSHA256"));
      String expected = HEX.formatHex(Arrays.copyOf(m.doFinal(ascii("100023336956")), 16));
      assertThat(Pseudonymiser.of(k, t, 128).pseudonym("100023336956")).isEqualTo(expected);
    }
  }

  @Test
  void typesHaveDistinctDomainsSoEqualStringsNeverCollide() {
    Key k = fixedKey();
    String a = Pseudonymiser.of(k, IdentifierType.UPRN, 128).pseudonym("12345");
    String b = Pseudonymiser.of(k, IdentifierType.LOCAL_ID, 128).pseudonym("12345");
    String c = Pseudonymiser.of(k, IdentifierType.SOCIAL_CARE_ID, 128).pseudonym("12345");
    assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
  }

  @Test
  void collisionRiskFollowsTheBirthdayBound() {
    // 1.5M people at 64 bits: n^2 / 2^65 ~ 6.1e-8; at 128 bits negligible.
    double n = 1_500_000d;
    assertThat(Pseudonymiser.collisionProbability(1_500_000, 64)).isCloseTo(n * (n - 1) / Math.pow(2, 65),
        org.assertj.core.data.Percentage.withPercentage(0.1));
    assertThat(Pseudonymiser.collisionProbability(1_500_000, 128)).isLessThan(1e-20);
    assertThat(Pseudonymiser.collisionWarning(1_500_000, 64)).contains("1,500,000").contains("64 bits");
  }

  /** RFC 5869 with JCA only, independent of Bouncy Castle. */
  static byte[] jcaHkdf(byte[] ikm, byte[] salt, byte[] info) throws Exception {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = m.doFinal(ikm);
    m.init(new SecretKeySpec(prk, "HmacSHA256"));
    m.update(info);
    m.update((byte) 1);
    return m.doFinal();
  }
}
