package io.idw.linkage;

/**
 * The default linkage settings for pseudonymised KID records (the contract columns): Dice bands on
 * the name and DOB Bloom filters, DOB exact / transposed / year-month on tokens, sex, postcode
 * full / sector / district, and the UPRN pseudonym; blocking on keyed tokens only, every rule a
 * conjunction of two or three tokens (a rule on DOB alone compares about 14 million pairs at a
 * million records; these about one million).
 */
public final class KidSettings {
  private KidSettings() {}

  public static LinkageSettings defaults() {
    return LinkageSettings.builder()
        .linkType(LinkageSettings.DEDUPE_ONLY)
        .uniqueIdColumnName(LinkColumns.RECORD_KEY)
        // each rule pairs DOB (or its year/month) with a second field, so blocks stay small at a
        // million records; a record pair with one corrupted field still meets some rule
        .blockingRule("l.tok_dob = r.tok_dob and l.tok_pc_district = r.tok_pc_district")
        .blockingRule("l.tok_dob = r.tok_dob and l.tok_family_name = r.tok_family_name")
        .blockingRule("l.tok_dob = r.tok_dob and l.tok_given_name = r.tok_given_name")
        .blockingRule("l.tok_family_name = r.tok_family_name and l.tok_dob_ym = r.tok_dob_ym")
        .blockingRule("l.tok_given_name = r.tok_given_name and l.tok_family_name = r.tok_family_name"
            + " and l.tok_yob = r.tok_yob")
        .blockingRule("l.tok_given_name = r.tok_given_name and l.tok_postcode = r.tok_postcode")
        .blockingRule("l.tok_dob_swapped = r.tok_dob and l.tok_pc_district = r.tok_pc_district")
        .blockingRule("l.uprn_pseudonym = r.uprn_pseudonym and l.tok_yob = r.tok_yob")
        .trainingRule("l.tok_dob = r.tok_dob")
        .trainingRule("l.tok_postcode = r.tok_postcode and l.tok_family_name = r.tok_family_name")
        .comparison(Comparisons.diceBands("given_name", "bf_given_name", "tok_given_name", 0.8, 0.6))
        .comparison(Comparisons.diceBands("family_name", "bf_family_name", "tok_family_name", 0.8, 0.6))
        .comparison(Comparisons.dateOfBirth("dob", "tok_dob", "tok_dob_swapped", "tok_dob_ym", "bf_dob", 0.6))
        .comparison(Comparisons.exact("sex", "tok_sex"))
        .comparison(Comparisons.postcode("postcode", "tok_postcode", "tok_pc_sector", "tok_pc_district"))
        .comparison(Comparisons.exact("uprn", "uprn_pseudonym"))
        .threshold(0.99)
        .maxClusterSize(200)
        .uMaxPairs(1_000_000)
        .build();
  }
}
