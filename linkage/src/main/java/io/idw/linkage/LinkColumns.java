package io.idw.linkage;

/** Column names the linkage module reads and writes, defined once. */
public final class LinkColumns {
  private LinkColumns() {}

  public static final String MATCH_KEY = "match_key";
  public static final String MATCH_WEIGHT = "match_weight";
  public static final String MATCH_PROBABILITY = "match_probability";
  public static final String CLUSTER_ID = "cluster_id";
  public static final String CLUSTER_SIZE = "cluster_size";
  public static final String GUARDED = "guarded";

  // contract columns of the pseudonymised zone
  public static final String SOURCE = "source";
  public static final String RECORD_ID = "record_id";
  public static final String EXTRACT_MONTH = "extract_month";
  public static final String NHS_PSEUDONYM = "nhs_pseudonym";
  public static final String NHS_STATUS = "nhs_status";
  public static final String TOK_DOB = "tok_dob";
  public static final String TOK_SEX = "tok_sex";
  public static final String AGE_BAND = "age_band";
  public static final String SEX = "sex";
  public static final String IMD_DECILE = "imd_decile";

  // linked zone
  public static final String PERSON_ID = "person_id";
  public static final String METHOD = "method";
  public static final String LINK_RUN = "link_run";
  public static final String FIRST_SEEN_MONTH = "first_seen_month";
  public static final String LAST_SEEN_MONTH = "last_seen_month";
  public static final String N_RECORDS = "n_records";
  public static final String STATUS = "status";
  public static final String MERGED_INTO = "merged_into";

  /** The record key idw uses as unique id across sources: {@code source/record_id}. */
  public static final String RECORD_KEY = "record_key";

  public static final String DETERMINISTIC = "deterministic";
  public static final String PROBABILISTIC = "probabilistic";
  public static final String SINGLETON = "singleton";
}
