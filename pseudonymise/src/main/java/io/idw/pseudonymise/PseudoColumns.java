package io.idw.pseudonymise;

import java.util.List;

/** The column names of pseudonymised records (the cross-module contract), defined once. */
public final class PseudoColumns {
  private PseudoColumns() {}

  public static final String RECORD_ID = "record_id";
  public static final String SOURCE = "source";
  public static final String EXTRACT_MONTH = "extract_month";

  public static final String NHS_PSEUDONYM = "nhs_pseudonym";
  public static final String NHS_KEY_ID = "nhs_key_id";
  public static final String NHS_STATUS = "nhs_status";
  public static final String UPRN_PSEUDONYM = "uprn_pseudonym";
  public static final String UPRN_KEY_ID = "uprn_key_id";
  public static final String SOCIAL_CARE_PSEUDONYM = "social_care_pseudonym";
  public static final String SOCIAL_CARE_KEY_ID = "social_care_key_id";
  public static final String LOCAL_ID_PSEUDONYM = "local_id_pseudonym";
  public static final String LOCAL_ID_KEY_ID = "local_id_key_id";

  public static final String BF_GIVEN_NAME = "bf_given_name";
  public static final String BF_FAMILY_NAME = "bf_family_name";
  public static final String BF_DOB = "bf_dob";
  public static final String BF_POSTCODE = "bf_postcode";
  public static final String CLK = "clk";

  public static final String TOK_DOB = "tok_dob";
  public static final String TOK_DOB_SWAPPED = "tok_dob_swapped";
  public static final String TOK_DOB_YM = "tok_dob_ym";
  public static final String TOK_YOB = "tok_yob";
  public static final String TOK_SEX = "tok_sex";
  public static final String TOK_POSTCODE = "tok_postcode";
  public static final String TOK_PC_SECTOR = "tok_pc_sector";
  public static final String TOK_PC_DISTRICT = "tok_pc_district";
  public static final String TOK_GIVEN_NAME = "tok_given_name";
  public static final String TOK_FAMILY_NAME = "tok_family_name";
  public static final String ENC_KEY_ID = "enc_key_id";

  public static final String AGE_BAND = "age_band";
  public static final String SEX = "sex";
  public static final String LSOA = "lsoa";
  public static final String IMD_DECILE = "imd_decile";
  public static final String GP_PRACTICE = "gp_practice";

  /** The columns {@link RecordEncoder} adds from identifiers, in order (all nullable). */
  public static final List<String> ENCODED = List.of(
      NHS_PSEUDONYM, NHS_KEY_ID, NHS_STATUS,
      UPRN_PSEUDONYM, UPRN_KEY_ID, SOCIAL_CARE_PSEUDONYM, SOCIAL_CARE_KEY_ID, LOCAL_ID_PSEUDONYM, LOCAL_ID_KEY_ID,
      BF_GIVEN_NAME, BF_FAMILY_NAME, BF_DOB, BF_POSTCODE, CLK,
      TOK_DOB, TOK_DOB_SWAPPED, TOK_DOB_YM, TOK_YOB, TOK_SEX, TOK_POSTCODE, TOK_PC_SECTOR, TOK_PC_DISTRICT,
      TOK_GIVEN_NAME, TOK_FAMILY_NAME, ENC_KEY_ID);

  /** Pseudonym columns and the key-id column that travels with each. */
  public static final List<List<String>> PSEUDONYM_KEY_PAIRS = List.of(
      List.of(NHS_PSEUDONYM, NHS_KEY_ID), List.of(UPRN_PSEUDONYM, UPRN_KEY_ID),
      List.of(SOCIAL_CARE_PSEUDONYM, SOCIAL_CARE_KEY_ID), List.of(LOCAL_ID_PSEUDONYM, LOCAL_ID_KEY_ID));
}
