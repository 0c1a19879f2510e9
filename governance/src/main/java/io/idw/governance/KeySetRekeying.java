package io.idw.governance;

import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.ProjectPseudonyms;
import java.util.Objects;
import org.apache.spark.sql.Column;

/**
 * Re-keys person ids with the warehouse key set's per-project derivation (pseudonymise's {@link
 * ProjectPseudonyms}: HMAC-SHA256 under {@code HKDF(primary master key, "project/" + domain)},
 * 128 bits, hex). The key id written beside each value is {@code <master key id>/<domain>}.
 */
public final class KeySetRekeying implements PersonIdRekeying {
  private static final long serialVersionUID = 1L;
  private final KeySet keys;

  private KeySetRekeying(KeySet keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  public static KeySetRekeying of(KeySet keys) {
    if (keys == null) {
      throw GovernanceErrors.missingKey("re-keying person ids");
    }
    return new KeySetRekeying(keys);
  }

  @Override
  public String keyId(String domain) {
    return ProjectPseudonyms.of(keys, domain).projectKeyId(keys.primaryId());
  }

  @Override
  public Column rekey(Column personId, String domain) {
    return ProjectPseudonyms.of(keys, domain).derive(personId);
  }

  @Override
  public String toString() {
    return "KeySetRekeying(" + keys + ")";
  }
}
