package io.idw.governance;

import io.idw.core.IdentifierType;
import io.idw.pseudonymise.Key;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.KeyStatus;
import io.idw.pseudonymise.NhsNumber;
import io.idw.pseudonymise.Normalise;
import io.idw.pseudonymise.Pseudonymiser;
import java.util.ArrayList;
import java.util.List;

/**
 * Clear NHS numbers to the pseudonyms the warehouse holds for them: one per enabled master key of
 * the key set, so that rows ingested before a key rotation are found too. Invalid numbers are
 * counted, never pseudonymised.
 */
public final class NhsPseudonyms {
  private NhsPseudonyms() {}

  /** A warehouse pseudonym and the id of the master key that made it. */
  public record Pseudonym(String nhsPseudonym, String keyId) {
    @Override
    public String toString() {
      return "Pseudonym(" + keyId + ")";
    }
  }

  /** The result: pseudonyms of the valid numbers, and how many inputs were invalid. */
  public record Result(List<Pseudonym> pseudonyms, int valid, int invalid) {}

  /** Pseudonyms of clear NHS numbers. */
  public static Result of(KeySet keys, List<String> clearNumbers) {
    return of(keys, IdentifierType.NHS_NUMBER, clearNumbers);
  }

  /**
   * Pseudonyms of clear identifiers of a type ({@code NHS_NUMBER}, validated Mod-11; {@code
   * SOCIAL_CARE_ID}, normalised as at ingest).
   */
  public static Result of(KeySet keys, IdentifierType type, List<String> clearIds) {
    List<String> clearNumbers = clearIds;
    if (keys == null) {
      throw GovernanceErrors.missingKey("pseudonymising NHS numbers");
    }
    List<Pseudonymiser> ps = new ArrayList<>();
    for (Key k : keys.keys()) {
      if (k.status() == KeyStatus.ENABLED) {
        ps.add(Pseudonymiser.of(k, type, Pseudonymiser.DEFAULT_BITS));
      }
    }
    List<Pseudonym> out = new ArrayList<>();
    int valid = 0;
    int invalid = 0;
    for (String raw : clearNumbers) {
      String norm;
      if (type == IdentifierType.NHS_NUMBER) {
        NhsNumber.Result r = NhsNumber.validate(raw);
        norm = r.valid() ? r.normalised() : null;
      } else if (type == IdentifierType.SOCIAL_CARE_ID) {
        norm = Normalise.socialCareId(raw);
      } else {
        throw GovernanceErrors.badInput("cannot look up " + type.wireName() + " identifiers",
            "only NHS numbers and social care ids identify a person for erasure",
            "give NHS numbers or council social care ids");
      }
      if (norm == null) {
        invalid++;
        continue;
      }
      valid++;
      for (Pseudonymiser p : ps) {
        out.add(new Pseudonym(p.pseudonym(norm), p.keyId()));
      }
    }
    return new Result(out, valid, invalid);
  }
}
