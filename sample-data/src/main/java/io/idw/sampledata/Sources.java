package io.idw.sampledata;

import io.idw.core.IdentifierType;
import io.idw.core.SourceSpec;
import io.idw.core.SourceSpec.Column;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sources the generator writes, each in its provider's own layout, with the core
 * {@link SourceSpec} that describes it ({@code specs/<source>.yaml}). Dates are ISO
 * ({@code yyyy-MM-dd}) except in community contacts and fire visits, which use {@code dd/MM/yyyy}
 * as their providers do; the spec's column {@code format} says which.
 */
public final class Sources {
  private Sources() {}

  public static final String GP_REGISTRATIONS = "gp_registrations";
  public static final String GP_EVENTS = "gp_events";
  public static final String AE_ATTENDANCES = "ae_attendances";
  public static final String APC_ADMISSIONS = "apc_admissions";
  public static final String COMMUNITY_CONTACTS = "community_contacts";
  public static final String MENTAL_HEALTH_CONTACTS = "mental_health_contacts";
  public static final String OOH_CONTACTS = "ooh_contacts";
  public static final String SOCIAL_CARE = "social_care";
  public static final String FIRE_HOME_SAFETY_VISITS = "fire_home_safety_visits";
  public static final String FALLS_SERVICE = "falls_service";

  /** Every source, in a fixed order. */
  public static final List<String> ALL = List.of(GP_REGISTRATIONS, GP_EVENTS, AE_ATTENDANCES, APC_ADMISSIONS,
      COMMUNITY_CONTACTS, MENTAL_HEALTH_CONTACTS, OOH_CONTACTS, SOCIAL_CARE, FIRE_HOME_SAFETY_VISITS, FALLS_SERVICE);

  public static final String ISO = "yyyy-MM-dd";
  public static final String UK = "dd/MM/yyyy";

  private static final Map<String, SourceSpec> SPECS = new LinkedHashMap<>();

  static {
    add(GP_REGISTRATIONS, "GP practice registrations from the practices that feed data: the full register in the first month, then new registrations and leavers each month",
        "extract_row_id", "effective_date", ISO,
        c("extract_row_id", "string", null, true), c("registration_id", "string"), c("record_type", "string"),
        c("nhs_number", "string", IdentifierType.NHS_NUMBER), c("forename", "string", IdentifierType.GIVEN_NAME),
        c("surname", "string", IdentifierType.FAMILY_NAME), dob("date_of_birth", ISO), c("sex", "string", IdentifierType.SEX),
        c("address_line", "string", IdentifierType.ADDRESS), c("postcode", "string", IdentifierType.POSTCODE),
        c("practice_code", "string"), date("registration_date", ISO), date("deregistration_date", ISO),
        c("deregistration_reason", "string"), date("effective_date", ISO));
    add(GP_EVENTS, "GP clinical and administrative events (consultations, reviews, prescriptions) from the practices that feed data",
        "event_id", "event_date", ISO,
        c("event_id", "string", null, true), c("nhs_number", "string", IdentifierType.NHS_NUMBER),
        dob("date_of_birth", ISO), c("sex", "string", IdentifierType.SEX), c("practice_code", "string"),
        date("event_date", ISO), c("event_type", "string"), c("staff_role", "string"), c("ltc_count", "int"),
        c("ltc_codes", "string"), c("cost", "decimal(10,2)"));
    add(AE_ATTENDANCES, "SUS-style A&E attendances, one row per attendance",
        "attendance_id", "arrival_date", ISO,
        c("attendance_id", "string", null, true), c("nhs_number", "string", IdentifierType.NHS_NUMBER),
        dob("date_of_birth", ISO), c("sex", "string", IdentifierType.SEX), c("postcode", "string", IdentifierType.POSTCODE),
        c("gp_practice_code", "string"), date("arrival_date", ISO), c("arrival_time", "string"),
        c("arrival_source", "string"), c("arrival_mode", "string"), c("chief_complaint", "string"),
        c("disposal", "string"), c("cost", "decimal(10,2)"));
    add(APC_ADMISSIONS, "SUS-style admitted patient care spells, elective and non-elective, with ICD-10 diagnoses, external cause and cost",
        "spell_id", "admission_date", ISO,
        c("spell_id", "string", null, true), c("nhs_number", "string", IdentifierType.NHS_NUMBER),
        dob("date_of_birth", ISO), c("sex", "string", IdentifierType.SEX), c("postcode", "string", IdentifierType.POSTCODE),
        c("gp_practice_code", "string"), date("admission_date", ISO), date("discharge_date", ISO),
        c("admission_method", "string"), c("admission_type", "string"), c("primary_diagnosis", "string"),
        c("secondary_diagnosis", "string"), c("cause_code", "string"), c("los_days", "int"), c("hrg_code", "string"),
        c("cost", "decimal(10,2)"));
    add(COMMUNITY_CONTACTS, "Community health service contacts (district nursing, therapies, podiatry)",
        "contact_id", "contact_date", UK,
        c("contact_id", "string", null, true), c("nhs_number", "string", IdentifierType.NHS_NUMBER),
        c("forename", "string", IdentifierType.GIVEN_NAME), c("surname", "string", IdentifierType.FAMILY_NAME),
        dob("dob", UK), c("postcode", "string", IdentifierType.POSTCODE), date("contact_date", UK),
        c("service_line", "string"), c("staff_grade", "string"), c("duration_minutes", "int"),
        c("contact_location", "string"));
    add(MENTAL_HEALTH_CONTACTS, "Mental health trust contacts, with the trust's local patient id",
        "contact_id", "contact_date", ISO,
        c("contact_id", "string", null, true), c("local_patient_id", "string", IdentifierType.LOCAL_ID),
        c("nhs_number", "string", IdentifierType.NHS_NUMBER), dob("date_of_birth", ISO),
        c("gender", "string", IdentifierType.SEX), c("postcode", "string", IdentifierType.POSTCODE),
        date("contact_date", ISO), c("team", "string"), c("contact_type", "string"), c("attended", "string"));
    add(OOH_CONTACTS, "GP out-of-hours contacts (telephone advice, base and home visits)",
        "case_id", "call_date", ISO,
        c("case_id", "string", null, true), c("nhs_number", "string", IdentifierType.NHS_NUMBER),
        c("forename", "string", IdentifierType.GIVEN_NAME), c("surname", "string", IdentifierType.FAMILY_NAME),
        dob("date_of_birth", ISO), c("postcode", "string", IdentifierType.POSTCODE), date("call_date", ISO),
        c("call_time", "string"), c("case_type", "string"), c("outcome", "string"));
    add(SOCIAL_CARE, "Adult social care: one row per service active in the extract month, with the council person id, the NHS number where recorded, and the weekly cost",
        "line_id", "period_start", ISO,
        c("line_id", "string", null, true), c("person_ref", "string", IdentifierType.SOCIAL_CARE_ID),
        c("nhs_number", "string", IdentifierType.NHS_NUMBER), c("first_name", "string", IdentifierType.GIVEN_NAME),
        c("last_name", "string", IdentifierType.FAMILY_NAME), dob("date_of_birth", ISO),
        c("postcode", "string", IdentifierType.POSTCODE), c("uprn", "string", IdentifierType.UPRN),
        c("service_id", "string"), c("service_type", "string"), date("service_start_date", ISO),
        date("service_end_date", ISO), date("period_start", ISO), c("weekly_cost", "decimal(10,2)"));
    add(FIRE_HOME_SAFETY_VISITS, "Fire and rescue service home safety visits: occupant name, date of birth, address and UPRN, no NHS number",
        "visit_id", "visit_date", UK,
        c("visit_id", "string", null, true), c("first_name", "string", IdentifierType.GIVEN_NAME),
        c("surname", "string", IdentifierType.FAMILY_NAME), dob("date_of_birth", UK),
        c("address_line", "string", IdentifierType.ADDRESS), c("postcode", "string", IdentifierType.POSTCODE),
        c("uprn", "string", IdentifierType.UPRN), date("visit_date", UK), c("referral_source", "string"),
        c("risk_level", "string"), c("smoke_alarm_fitted", "string"));
    add(FALLS_SERVICE, "Falls prevention service referrals and start dates, in the districts where the service runs",
        "referral_id", "referral_date", ISO,
        c("referral_id", "string", null, true), c("nhs_number", "string", IdentifierType.NHS_NUMBER),
        c("forename", "string", IdentifierType.GIVEN_NAME), c("surname", "string", IdentifierType.FAMILY_NAME),
        dob("date_of_birth", ISO), c("postcode", "string", IdentifierType.POSTCODE), c("district", "string"),
        date("referral_date", ISO), c("referral_source", "string"), date("start_date", ISO), c("outcome", "string"));
  }

  private static Column c(String name, String type) {
    return new Column(name, type, null, false, null);
  }

  private static Column c(String name, String type, IdentifierType id) {
    return new Column(name, type, id, false, null);
  }

  private static Column c(String name, String type, IdentifierType id, boolean required) {
    return new Column(name, type, id, required, null);
  }

  /** Dates of birth stay strings: dirt (swapped day and month) must reach ingest intact. */
  private static Column dob(String name, String format) {
    return new Column(name, "string", IdentifierType.DATE_OF_BIRTH, false, format);
  }

  private static Column date(String name, String format) {
    return new Column(name, "date", null, false, format);
  }

  private static void add(String name, String description, String recordId, String eventDate, String eventFormat,
      Column... columns) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("header", "true");
    options.put("delimiter", ",");
    options.put("quote", "\"");
    options.put("escape", "\"");
    options.put("encoding", "UTF-8");
    SPECS.put(name, new SourceSpec(name, description, SourceSpec.Format.CSV, options, recordId,
        new SourceSpec.EventDate(eventDate, eventFormat), SourceSpec.InvalidIdentifierAction.FLAG,
        List.of(columns)));
  }

  /** The spec of a source. */
  public static SourceSpec spec(String source) {
    SourceSpec s = SPECS.get(source);
    if (s == null) {
      throw SampleDataErrors.unknownSource(source);
    }
    return s;
  }

  /** The CSV header line of a source. */
  public static String header(String source) {
    List<String> names = new ArrayList<>();
    for (Column c : spec(source).columns()) {
      names.add(c.name());
    }
    return String.join(",", names);
  }

  /** The number of columns of a source. */
  public static int width(String source) {
    return spec(source).columns().size();
  }
}
