package io.idw.pseudonymise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.IdentifierType;
import io.idw.core.IdwException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySetTest {

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void toStringNeverShowsKeyBytes() {
    KeySet ks = KeySet.generate(false).rotate();
    for (Key k : ks.keys()) {
      byte[] m = k.material(SecretAccess.insecureSecretAccess());
      String b64 = Base64.getEncoder().encodeToString(m);
      for (String s : new String[] {ks.toString(), k.toString(),
          Pseudonymiser.of(ks, IdentifierType.NHS_NUMBER).toString(), BloomEncoder.of(ks).toString(),
          ProjectPseudonyms.of(ks, "p1").toString()}) {
        assertThat(s).doesNotContainIgnoringCase(hex(m)).doesNotContain(b64).doesNotContain(hex(m).substring(0, 8));
      }
    }
    assertThat(ks.toString()).contains(ks.primaryId());
  }

  @Test
  void rotationAddsAPrimaryAndKeepsOldKeys() {
    KeySet a = KeySet.generate(true);
    KeySet b = a.rotate();
    assertThat(b.keys()).hasSize(2);
    assertThat(b.primaryId()).isNotEqualTo(a.primaryId());
    assertThat(b.find(a.primaryId())).isPresent();
    assertThatThrownBy(() -> b.withStatus(b.primaryId(), KeyStatus.DISABLED)).isInstanceOf(IdwException.class);
    KeySet c = b.withStatus(a.primaryId(), KeyStatus.DESTROYED);
    assertThatThrownBy(() -> c.key(a.primaryId()).material(SecretAccess.insecureSecretAccess()))
        .isInstanceOf(IdwException.class).hasMessageContaining("destroyed");
  }

  @Test
  void storeRoundTripsUnderTheKekAndRefusesAWrongOne(@TempDir Path tmp) throws Exception {
    KeySet ks = KeySet.generate(false).rotate();
    ks = ks.withStatus(ks.keys().get(0).id(), KeyStatus.DISABLED);
    Kek kek = Kek.generate();
    Path f = tmp.resolve("keys/keyset.json");
    KeySetStore.create(ks, f, kek);
    KeySet back = KeySetStore.read(f, kek);
    assertThat(back.primaryId()).isEqualTo(ks.primaryId());
    assertThat(back.keys()).isEqualTo(ks.keys());
    assertThat(Pseudonymiser.of(back, IdentifierType.NHS_NUMBER).pseudonym("9434765919"))
        .isEqualTo(Pseudonymiser.of(ks, IdentifierType.NHS_NUMBER).pseudonym("9434765919"));

    String file = Files.readString(f);
    for (Key k : ks.keys()) {
      assertThat(file).doesNotContain(hex(k.materialForStorage()))
          .doesNotContain(Base64.getEncoder().encodeToString(k.materialForStorage()));
    }
    assertThatThrownBy(() -> KeySetStore.create(back, f, kek)).isInstanceOf(IdwException.class)
        .extracting(e -> ((IdwException) e).code()).isEqualTo("pseudonymise.keyset.exists");
    assertThatThrownBy(() -> KeySetStore.read(f, Kek.generate())).isInstanceOf(IdwException.class)
        .extracting(e -> ((IdwException) e).code()).isEqualTo("pseudonymise.keyset.wrong_kek");
    // flipping the test flag or the primary is detected
    Files.writeString(f, file.replace("\"testOnly\" : false", "\"testOnly\" : true"));
    assertThatThrownBy(() -> KeySetStore.read(f, kek)).isInstanceOf(IdwException.class)
        .extracting(e -> ((IdwException) e).code()).isEqualTo("pseudonymise.keyset.wrong_kek");
    assertThatThrownBy(() -> KeySetStore.read(tmp.resolve("none.json"), kek)).isInstanceOf(IdwException.class)
        .extracting(e -> ((IdwException) e).code()).isEqualTo("pseudonymise.keyset.missing");
  }

  @Test
  void kekParsingAcceptsBase64AndHexOf32BytesOnly() {
    byte[] b = new byte[32];
    b[0] = 1;
    assertThat(Kek.parse(Base64.getEncoder().encodeToString(b), "t").bytes()).isEqualTo(b);
    assertThat(Kek.parse(hex(b), "t").bytes()).isEqualTo(b);
    assertThatThrownBy(() -> Kek.parse(Base64.getEncoder().encodeToString(new byte[16]), "t"))
        .isInstanceOf(IdwException.class).hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> Kek.parse("", "t")).isInstanceOf(IdwException.class);
    assertThat(Kek.parse(hex(b), "t").toString()).doesNotContain(hex(b));
  }
}
