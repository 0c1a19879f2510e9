package io.idw.cohort.variation;

import java.util.List;

/** Column names of the practice-variation steps, defined once. */
public final class VariationColumns {
  private VariationColumns() {}

  public static final String PERSON_ID = "person_id";
  public static final String PRACTICE = "practice_code";
  public static final String SETTING = "setting";
  public static final String COST = "cost";
  public static final String MONTH = "month";
  public static final String AGE_BAND = "age_band";
  public static final String IMD_DECILE = "imd_decile";
  public static final String SEX = "sex";

  public static final String N_PEOPLE = "n_people";
  public static final String N_USERS = "n_users";
  public static final String TOTAL_COST = "total_cost";
  public static final String EXPECTED_COST = "expected_cost";
  public static final String CRUDE_PER_HEAD = "crude_per_head";
  public static final String CRUDE_LOWER = "crude_lower";
  public static final String CRUDE_UPPER = "crude_upper";
  public static final String ADJUSTED_PER_HEAD = "adjusted_per_head";
  public static final String ADJUSTED_LOWER = "adjusted_lower";
  public static final String ADJUSTED_UPPER = "adjusted_upper";
  public static final String RATIO_TO_EXPECTED = "ratio_to_expected";
  public static final String TOP1_COST = "top1_cost";
  public static final String TOP2_COST = "top2_cost";

  public static final String EVENTS = "events";
  public static final String PERSON_MONTHS = "person_months";
  public static final String PERIOD = "period";

  /** The care settings costed, in report order. {@link #ALL_SETTINGS} is their sum. */
  public static final String PRIMARY_CARE = "primary_care";
  public static final String ADULT_SOCIAL_CARE = "adult_social_care";
  public static final String COMMUNITY_CARE = "community_care";
  public static final String AE = "ae";
  public static final String NON_ELECTIVE = "non_elective";
  public static final String OUT_OF_HOURS = "out_of_hours";
  public static final String ALL_SETTINGS = "all_settings";
  public static final List<String> SETTINGS = List.of(PRIMARY_CARE, ADULT_SOCIAL_CARE, COMMUNITY_CARE, AE, NON_ELECTIVE,
      OUT_OF_HOURS);

  /** A setting's name in words. */
  public static String settingLabel(String setting) {
    return switch (setting) {
      case PRIMARY_CARE -> "GP practice (primary care)";
      case ADULT_SOCIAL_CARE -> "adult social care";
      case COMMUNITY_CARE -> "community care";
      case AE -> "A&E";
      case NON_ELECTIVE -> "non-elective admissions";
      case OUT_OF_HOURS -> "GP out of hours";
      case ALL_SETTINGS -> "all settings together";
      default -> setting;
    };
  }
}
