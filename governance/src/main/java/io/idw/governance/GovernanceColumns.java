package io.idw.governance;

/** Column and table names governance reads or adds, defined once. */
public final class GovernanceColumns {
  private GovernanceColumns() {}

  /** The person key of linked tables; in governed reads, the agreement-domain pseudonym. */
  public static final String PERSON_ID = "person_id";
  /** The key id of the re-keyed person_id (added to every governed read that returns person_id). */
  public static final String PERSON_KEY_ID = "person_key_id";
  /** The pseudonymised NHS number column of pseudonymised and linked tables. */
  public static final String NHS_PSEUDONYM = "nhs_pseudonym";
  public static final String NHS_KEY_ID = "nhs_key_id";
  /** The source column of linked tables. */
  public static final String SOURCE = "source";
  /**
   * The national data opt-out list: table {@code pseudonymised.national_opt_out} with columns
   * {@code nhs_pseudonym} (string) and {@code nhs_key_id} (string), made with the warehouse NHS
   * number key at ingest so it matches the linked tables' {@code nhs_pseudonym}.
   */
  public static final String OPT_OUT_TABLE = "national_opt_out";
}
