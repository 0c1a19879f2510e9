package io.idw.governance;

import java.io.Serializable;
import org.apache.spark.sql.Column;

/**
 * Re-keys warehouse person ids into a pseudonym domain: a keyed, one-way function of (domain,
 * person id). Two domains give unrelated ids for the same person, so extracts made under two
 * agreements cannot be joined. Implementations hold key material and must never print it.
 */
public interface PersonIdRekeying extends Serializable {
  /** The id of the key a domain's pseudonyms are made with (travels with the pseudonym column). */
  String keyId(String domain);

  /** The pseudonym of {@code personId} in {@code domain}; null in, null out. */
  Column rekey(Column personId, String domain);
}
