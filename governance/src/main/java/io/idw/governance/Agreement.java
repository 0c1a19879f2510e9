package io.idw.governance;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.idw.core.SpecViolation;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A data sharing agreement as a policy: who may read which datasets, columns and rows, for which
 * purposes, on what lawful basis, until when. Bound from YAML or JSON by {@link Agreements}, which
 * first checks the published JSON Schema ({@code io/idw/governance/agreement.schema.json}); the
 * value is immutable and its constructor checks every rule that needs no outside knowledge
 * (cross-references, dates in order, lawful-basis pairings), throwing {@link SpecViolation}s that
 * name the field. Rules that need the warehouse or the clock live in {@link AgreementValidator}.
 *
 * <p>Identifiers are matched exactly and case-sensitively everywhere: a request whose purpose,
 * user, dataset, column or access type differs only in case is denied, never matched loosely.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"id", "version", "status", "supersedes", "parties", "purposes", "lawfulBasis",
    "datasets", "linkage", "nationalOptOut", "access", "outputs", "validity", "retention"})
public record Agreement(
    String id,
    String version,
    Status status,
    String supersedes,
    Parties parties,
    List<Purpose> purposes,
    LawfulBasis lawfulBasis,
    List<DatasetGrant> datasets,
    Linkage linkage,
    OptOut nationalOptOut,
    Access access,
    Outputs outputs,
    Validity validity,
    Retention retention) {

  static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{0,79}");
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  /** Columns that must never leave the linked zone: identifying pseudonyms and encodings. */
  static final Pattern IDENTIFYING_COLUMN = Pattern.compile(
      "nhs_number|.*_pseudonym|.*_key_id|bf_.*|tok_.*|clk|record_id|name|.*_name|dob|date_of_birth|postcode|uprn|address.*");

  public Agreement {
    req(id != null && ID.matcher(id).matches(), "id", "'" + id + "' is not a valid agreement id",
        "use lower case letters, digits, '-' or '_', such as kid-falls-evaluation");
    req(version != null && !version.isBlank(), "version", "the version is missing", "set version, such as \"1.0\" (quoted)");
    req(status != null, "status", "the status is missing", "set status: draft, active, suspended, expired or superseded");
    req(supersedes == null || !supersedes.equals(id + "@" + version), "supersedes",
        "an agreement cannot supersede itself", "name the earlier version, such as " + id + "@0.9");
    req(parties != null, "parties", "the parties are missing", "list controllers (with their DPO), processors and recipients");
    req(purposes != null && !purposes.isEmpty(), "purposes", "no purpose is declared",
        "declare at least one purpose with id, category, description and acknowledgement");
    req(lawfulBasis != null, "lawfulBasis", "the lawful basis is missing",
        "state article6, article9, commonLaw and dpiaReference");
    req(datasets != null && !datasets.isEmpty(), "datasets", "no dataset is granted",
        "list each dataset with the minimum necessary columns");
    req(linkage != null, "linkage", "the linkage section is missing", "set linkage.pseudonymDomain (and allowedJoins)");
    req(nationalOptOut != null, "nationalOptOut", "whether the national data opt-out applies is not stated",
        "set nationalOptOut: {applies: true|false, reason: ...}");
    req(access != null, "access", "the access section is missing", "list roles and users");
    req(validity != null, "validity", "the validity period is missing", "set validity: {start, end, reviewDate}");
    req(retention != null, "retention", "the retention period is missing", "set retention: {period: P5Y, action: delete}");
    outputs = outputs == null ? new Outputs(DisclosureProfileName.STANDARD) : outputs;
    purposes = List.copyOf(purposes);
    datasets = List.copyOf(datasets);

    Set<String> purposeIds = new HashSet<>();
    for (int i = 0; i < purposes.size(); i++) {
      req(purposeIds.add(purposes.get(i).id()), "purposes[" + i + "].id",
          "purpose '" + purposes.get(i).id() + "' is declared twice", "declare each purpose once");
    }
    Set<String> datasetNames = new HashSet<>();
    for (int i = 0; i < datasets.size(); i++) {
      req(datasetNames.add(datasets.get(i).name()), "datasets[" + i + "].name",
          "dataset '" + datasets.get(i).name() + "' is granted twice", "grant each dataset once");
    }
    Set<String> roleNames = new HashSet<>();
    for (int i = 0; i < access.roles().size(); i++) {
      Role r = access.roles().get(i);
      req(roleNames.add(r.name()), "access.roles[" + i + "].name", "role '" + r.name() + "' is declared twice",
          "declare each role once");
      for (int j = 0; j < r.purposes().size(); j++) {
        req(purposeIds.contains(r.purposes().get(j)), "access.roles[" + i + "].purposes[" + j + "]",
            "'" + r.purposes().get(j) + "' is not a purpose of this agreement (ids match exactly, case included)",
            "use one of " + purposeIds);
      }
      for (int j = 0; j < r.datasets().size(); j++) {
        req(datasetNames.contains(r.datasets().get(j)), "access.roles[" + i + "].datasets[" + j + "]",
            "'" + r.datasets().get(j) + "' is not a dataset of this agreement", "use one of " + datasetNames);
      }
    }
    Set<String> userIds = new HashSet<>();
    for (int i = 0; i < access.users().size(); i++) {
      User u = access.users().get(i);
      req(userIds.add(u.id()), "access.users[" + i + "].id", "user '" + u.id() + "' is listed twice", "list each user once");
      for (int j = 0; j < u.roles().size(); j++) {
        req(roleNames.contains(u.roles().get(j)), "access.users[" + i + "].roles[" + j + "]",
            "'" + u.roles().get(j) + "' is not a role of this agreement", "use one of " + roleNames);
      }
    }
    for (int i = 0; i < linkage.allowedJoins().size(); i++) {
      List<String> ds = linkage.allowedJoins().get(i).datasets();
      for (int j = 0; j < ds.size(); j++) {
        req(datasetNames.contains(ds.get(j)), "linkage.allowedJoins[" + i + "].datasets[" + j + "]",
            "'" + ds.get(j) + "' is not a dataset of this agreement", "use one of " + datasetNames);
      }
    }
    boolean beyondCare = purposes.stream().anyMatch(p -> p.category() != PurposeCategory.DIRECT_CARE);
    req(nationalOptOut.applies() || !beyondCare, "nationalOptOut.applies",
        "the national data opt-out must apply: at least one purpose is not direct care",
        "set applies: true; idw applies the opt-out to every purpose other than direct care");
  }

  private static void req(boolean ok, String field, String reason, String fix) {
    SpecViolation.require(ok, field, reason, fix);
  }

  /** The purpose with that exact id. */
  public Optional<Purpose> purpose(String purposeId) {
    return purposes.stream().filter(p -> p.id().equals(purposeId)).findFirst();
  }

  /** The grant of the dataset with that exact name. */
  public Optional<DatasetGrant> dataset(String name) {
    return datasets.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** The user with that exact id. */
  public Optional<User> user(String userId) {
    return access.users().stream().filter(u -> u.id().equals(userId)).findFirst();
  }

  /** The role with that exact name. */
  public Optional<Role> role(String name) {
    return access.roles().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** {@code id@version}, as audit records and provenance show it. */
  @JsonIgnore
  public String label() {
    return id + "@" + version;
  }

  /** The lifecycle state; only {@code active} agreements permit reads. */
  public enum Status {
    @JsonProperty("draft") DRAFT,
    @JsonProperty("active") ACTIVE,
    @JsonProperty("suspended") SUSPENDED,
    @JsonProperty("expired") EXPIRED,
    @JsonProperty("superseded") SUPERSEDED;

    public String wire() {
      return name().toLowerCase();
    }
  }

  /** What a purpose is for; everything but {@code direct_care} gets the national data opt-out. */
  public enum PurposeCategory {
    @JsonProperty("direct_care") DIRECT_CARE,
    @JsonProperty("planning") PLANNING,
    @JsonProperty("commissioning") COMMISSIONING,
    @JsonProperty("service_evaluation") SERVICE_EVALUATION,
    @JsonProperty("public_health") PUBLIC_HEALTH,
    @JsonProperty("research") RESEARCH;

    public String wire() {
      return name().toLowerCase();
    }
  }

  /** The organisations party to the agreement. Every controller names its DPO. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Parties(List<Party> controllers, List<Party> processors, List<Party> recipients) {
    public Parties {
      req(controllers != null && !controllers.isEmpty(), "controllers", "no controller is named",
          "name at least one controller with its DPO and Caldicott Guardian");
      controllers = List.copyOf(controllers);
      processors = processors == null ? List.of() : List.copyOf(processors);
      recipients = recipients == null ? List.of() : List.copyOf(recipients);
      for (int i = 0; i < controllers.size(); i++) {
        req(controllers.get(i).dpo() != null, "controllers[" + i + "].dpo",
            "controller '" + controllers.get(i).name() + "' names no data protection officer", "add dpo: {name, email}");
      }
    }
  }

  /** One organisation, with its DPO and Caldicott Guardian contacts. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Party(String name, String odsCode, Contact dpo, Contact caldicottGuardian) {
    public Party {
      req(name != null && !name.isBlank(), "name", "a party has no name", "give the organisation's name");
    }
  }

  /** A named person to contact. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Contact(String name, String email) {
    public Contact {
      req(name != null && !name.isBlank(), "name", "a contact has no name", "give the person's name or post");
      req(email == null || email.contains("@"), "email", "'" + email + "' is not an email address", "give a valid email");
    }
  }

  /** One purpose: what the data is used for, and what it must not be used for. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Purpose(String id, PurposeCategory category, String description, List<String> prohibitedUses,
      String acknowledgement) {
    public Purpose {
      req(id != null && ID.matcher(id).matches(), "id", "'" + id + "' is not a valid purpose id",
          "use lower case letters, digits, '-' or '_'");
      req(category != null, "category", "the purpose category is missing",
          "set category: direct_care, planning, commissioning, service_evaluation, public_health or research");
      req(description != null && !description.isBlank(), "description", "the purpose has no description",
          "say in plain words what the data is used for");
      req(acknowledgement != null && !acknowledgement.isBlank(), "acknowledgement",
          "the purpose has no acknowledgement statement", "add the statement users accept before reading");
      prohibitedUses = prohibitedUses == null ? List.of() : List.copyOf(prohibitedUses);
    }
  }

  /** The UK GDPR Articles 6 and 9 bases, the common-law basis, and the DPIA. */
  public record LawfulBasis(Article6 article6, Article9 article9, CommonLaw commonLaw, String dpiaReference) {
    public LawfulBasis {
      req(article6 != null, "article6", "the UK GDPR Article 6 basis is missing",
          "set article6: {basis: \"6(1)(e)\", statutoryPower: ...}");
      req(article9 != null, "article9", "the UK GDPR Article 9 condition is missing (health data is special category)",
          "set article9: {condition: \"9(2)(h)\", dpaSchedule1Paragraph: 2}");
      req(commonLaw != null, "commonLaw", "the common-law duty of confidentiality basis is missing",
          "set commonLaw: {basis: s251|statute|consent|anonymised, reference: ...}");
      req(dpiaReference != null && !dpiaReference.isBlank(), "dpiaReference", "the DPIA reference is missing",
          "cite the data protection impact assessment");
    }
  }

  /** UK GDPR Article 6(1)(a)–(f); (c) and (e) need the statutory power. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Article6(String basis, String statutoryPower) {
    private static final Pattern P = Pattern.compile("6\\(1\\)\\([a-f]\\)");

    public Article6 {
      req(basis != null && P.matcher(basis).matches(), "basis", "'" + basis + "' is not an Article 6 basis",
          "use 6(1)(a) to 6(1)(f), such as 6(1)(e)");
      req(!(basis.equals("6(1)(e)") || basis.equals("6(1)(c)")) || (statutoryPower != null && !statutoryPower.isBlank()),
          "statutoryPower", basis + " needs the statutory power cited", "cite it, such as 'Health and Social Care Act 2012 s2B'");
    }
  }

  /** UK GDPR Article 9(2)(a)–(j) and, for (h), (i), (j), the matching DPA 2018 Schedule 1 paragraph. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Article9(String condition, Integer dpaSchedule1Paragraph, String safeguards) {
    private static final Pattern P = Pattern.compile("9\\(2\\)\\([a-j]\\)");

    public Article9 {
      req(condition != null && P.matcher(condition).matches(), "condition", "'" + condition + "' is not an Article 9 condition",
          "use 9(2)(a) to 9(2)(j), such as 9(2)(h)");
      Integer expected = switch (condition) {
        case "9(2)(h)" -> 2;
        case "9(2)(i)" -> 3;
        case "9(2)(j)" -> 4;
        default -> null;
      };
      req(expected == null || expected.equals(dpaSchedule1Paragraph), "dpaSchedule1Paragraph",
          condition + " maps to DPA 2018 Schedule 1 paragraph " + expected + ", not " + dpaSchedule1Paragraph,
          "set dpaSchedule1Paragraph: " + expected);
      req(!condition.equals("9(2)(j)") || (safeguards != null && !safeguards.isBlank()), "safeguards",
          "research under 9(2)(j) needs Article 89 safeguards", "describe the safeguards");
    }
  }

  /** The common-law duty of confidentiality basis. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record CommonLaw(CommonLawBasis basis, String reference) {
    public CommonLaw {
      req(basis != null, "basis", "the common-law basis is missing", "set basis: s251, statute, consent or anonymised");
      req(!(basis == CommonLawBasis.S251 || basis == CommonLawBasis.STATUTE) || (reference != null && !reference.isBlank()),
          "reference", basis.wire() + " needs a reference (the CAG reference or the statute)", "cite it");
    }
  }

  public enum CommonLawBasis {
    @JsonProperty("s251") S251,
    @JsonProperty("statute") STATUTE,
    @JsonProperty("consent") CONSENT,
    @JsonProperty("anonymised") ANONYMISED;

    public String wire() {
      return name().toLowerCase();
    }
  }

  public enum Sensitivity {
    @JsonProperty("standard") STANDARD,
    @JsonProperty("special_category") SPECIAL_CATEGORY,
    @JsonProperty("highly_sensitive") HIGHLY_SENSITIVE
  }

  /**
   * One dataset the agreement grants: a table of the linked zone, its permitted columns (the
   * minimum necessary) and its row scope. {@code provider} names who supplies it; a {@code
   * withdrawnOn} date ends access from that day (the provider left the agreement).
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record DatasetGrant(String name, String provider, List<String> columns, RowScope rows, Sensitivity sensitivity,
      LocalDate withdrawnOn) {
    public DatasetGrant {
      req(name != null && NAME.matcher(name).matches(), "name", "'" + name + "' is not a dataset name",
          "use the linked-zone table name, such as ae_attendances");
      req(columns != null && !columns.isEmpty(), "columns", "dataset '" + name + "' grants no columns",
          "list the minimum necessary columns");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < columns.size(); i++) {
        String c = columns.get(i);
        req(c != null && NAME.matcher(c).matches(), "columns[" + i + "]", "'" + c + "' is not a column name",
            "use the snake_case column name");
        req(seen.add(c), "columns[" + i + "]", "column '" + c + "' is listed twice", "list it once");
        req(!IDENTIFYING_COLUMN.matcher(c).matches(), "columns[" + i + "]",
            "'" + c + "' is an identifier or identifying encoding and never leaves the linked zone",
            "remove it; person_id (re-keyed per agreement) is the only person key a reader gets");
      }
      columns = List.copyOf(columns);
      sensitivity = sensitivity == null ? Sensitivity.STANDARD : sensitivity;
    }
  }

  /** Which rows of a dataset may be read; every present part must hold (AND). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record RowScope(AgeScope ages, AreaScope areas, DateScope dates) {
    public RowScope {
      req(ages != null || areas != null || dates != null, "(rows)", "the row scope is empty or null",
          "remove 'rows' to grant every row, or state ages, areas or dates");
    }
  }

  /** Ages as a numeric range on an age column, or as listed bands of an age-band column. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record AgeScope(String column, Integer min, Integer max, List<String> bands) {
    public AgeScope {
      req(column != null && NAME.matcher(column).matches(), "column", "the age column is missing",
          "name the column, such as age_band");
      boolean range = min != null || max != null;
      boolean listed = bands != null && !bands.isEmpty();
      req(range != listed, "ages", "give either min/max or bands, not both or neither", "state one of them");
      req(min == null || max == null || min <= max, "max", "max " + max + " is below min " + min, "swap them");
      bands = bands == null ? List.of() : List.copyOf(bands);
    }
  }

  /** Areas: the values of an area column (district, LSOA, practice) that may be read. */
  public record AreaScope(String column, List<String> values) {
    public AreaScope {
      req(column != null && NAME.matcher(column).matches(), "column", "the area column is missing",
          "name the column, such as district");
      req(values != null && !values.isEmpty(), "values", "no area is listed (an empty filter would hide the scope)",
          "list the permitted areas");
      values = List.copyOf(values);
    }
  }

  /** A date range, inclusive, on a date column. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record DateScope(String column, LocalDate from, LocalDate to) {
    public DateScope {
      req(column != null && NAME.matcher(column).matches(), "column", "the date column is missing",
          "name the column, such as event_date");
      req(from != null || to != null, "from", "neither from nor to is given", "state from, to or both");
      req(from == null || to == null || !to.isBefore(from), "to", "to " + to + " is before from " + from,
          "correct the dates");
    }
  }

  /** Which datasets may be joined, and the agreement's own pseudonym domain for person ids. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Linkage(List<Join> allowedJoins, String pseudonymDomain) {
    public Linkage {
      req(pseudonymDomain != null && ID.matcher(pseudonymDomain).matches(), "pseudonymDomain",
          "the agreement's pseudonym domain is missing or invalid",
          "name a domain unique to this agreement, such as kid-falls-eval");
      allowedJoins = allowedJoins == null ? List.of() : List.copyOf(allowedJoins);
    }
  }

  /** Datasets that may be joined on person_id. */
  public record Join(List<String> datasets) {
    public Join {
      req(datasets != null && datasets.size() >= 2, "datasets", "a join names fewer than two datasets",
          "list the datasets that may be joined");
      datasets = List.copyOf(datasets);
    }
  }

  /** Whether the national data opt-out applies, and why. */
  public record OptOut(boolean applies, String reason) {
    public OptOut {
      req(reason != null && !reason.isBlank(), "reason", "no reason is given for whether the opt-out applies",
          "say why, such as 'planning and evaluation beyond individual care'");
    }
  }

  /** Roles (what) and users (who, and until when their training holds). */
  public record Access(List<Role> roles, List<User> users) {
    public Access {
      req(roles != null && !roles.isEmpty(), "roles", "no role is declared", "declare roles with purposes, datasets and accessTypes");
      req(users != null && !users.isEmpty(), "users", "no user is listed", "list the users with their roles and training expiry");
      roles = List.copyOf(roles);
      users = List.copyOf(users);
    }
  }

  /** Access types, matched exactly: {@code read} (governed reads) and {@code export} (release). */
  public static final Set<String> ACCESS_TYPES = Set.of("read", "export");

  /** A role: the purposes it may act under, the datasets it may read and its access types. */
  public record Role(String name, List<String> purposes, List<String> datasets, List<String> accessTypes) {
    public Role {
      req(name != null && ID.matcher(name).matches(), "name", "'" + name + "' is not a role name", "use lower case");
      req(purposes != null && !purposes.isEmpty(), "purposes", "role '" + name + "' has no purpose", "list its purposes");
      req(datasets != null && !datasets.isEmpty(), "datasets", "role '" + name + "' has no dataset", "list its datasets");
      req(accessTypes != null && !accessTypes.isEmpty(), "accessTypes", "role '" + name + "' has no access type",
          "list access types: read, export");
      for (int i = 0; i < accessTypes.size(); i++) {
        String t = accessTypes.get(i);
        req(ACCESS_TYPES.contains(t), "accessTypes[" + i + "]",
            "'" + t + "' is not an access type (they are matched exactly, in lower case)",
            "use one of " + ACCESS_TYPES);
      }
      purposes = List.copyOf(purposes);
      datasets = List.copyOf(datasets);
      accessTypes = List.copyOf(accessTypes);
    }
  }

  /** A user, their roles and when their information-governance training expires. */
  public record User(String id, List<String> roles, LocalDate trainingExpires) {
    public User {
      req(id != null && !id.isBlank(), "id", "a user has no id", "give the user's login id");
      req(roles != null && !roles.isEmpty(), "roles", "user '" + id + "' has no role", "list their roles");
      req(trainingExpires != null, "trainingExpires", "user '" + id + "' has no training expiry date",
          "set trainingExpires to the date their IG training lapses");
      roles = List.copyOf(roles);
    }
  }

  /** The disclosure-control profile outputs are checked under. */
  public enum DisclosureProfileName {
    /** Minimum cell count 10, secondary suppression, dominance rules. */
    @JsonProperty("standard") STANDARD,
    /** NHS sub-national practice: suppress 1–7, round to 5, secondary suppression. */
    @JsonProperty("nhs") NHS
  }

  public record Outputs(DisclosureProfileName disclosureProfile) {
    public Outputs {
      disclosureProfile = disclosureProfile == null ? DisclosureProfileName.STANDARD : disclosureProfile;
    }
  }

  /** Start and end (inclusive) and the date by which it must be reviewed. */
  public record Validity(LocalDate start, LocalDate end, LocalDate reviewDate) {
    public Validity {
      req(start != null, "start", "the start date is missing", "set start: YYYY-MM-DD");
      req(end != null, "end", "the end date is missing", "set end: YYYY-MM-DD");
      req(!end.isBefore(start), "end", "the end " + end + " is before the start " + start, "correct the dates");
      req(reviewDate != null, "reviewDate", "the review date is missing", "set reviewDate: YYYY-MM-DD");
      req(!reviewDate.isBefore(start) && !reviewDate.isAfter(end), "reviewDate",
          "the review date " + reviewDate + " is outside " + start + " to " + end, "review within the validity period");
    }
  }

  /** How long data and outputs may be kept after use (ISO-8601 period, such as P5Y), and what then. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Retention(String period, String action) {
    public Retention {
      req(period != null, "period", "the retention period is missing", "set period: P5Y (ISO-8601)");
      try {
        Period p = Period.parse(period);
        req(!p.isNegative() && !p.isZero(), "period", "the retention period must be positive", "set period: P5Y");
      } catch (DateTimeParseException e) {
        throw new SpecViolation("period", "'" + period + "' is not an ISO-8601 period", "write it like P5Y or P18M");
      }
      action = action == null ? "delete" : action;
      req(action.equals("delete"), "action", "'" + action + "' is not a retention action", "use delete");
    }

    @JsonIgnore
    public Period asPeriod() {
      return Period.parse(period);
    }
  }
}
