package io.idw.governance;

import io.idw.governance.Agreement.DatasetGrant;
import io.idw.governance.Agreement.PurposeCategory;
import io.idw.governance.Agreement.Role;
import io.idw.governance.Agreement.User;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides requests against an agreement. It fails closed: anything it cannot positively match
 * (an unknown purpose, user, dataset, column or access type; a missing attribute; an agreement not
 * active, not yet in force, expired or overdue for review; lapsed training; a withdrawn provider;
 * a row-scope column the table lacks) is a denial with a reason. Names are matched exactly.
 *
 * <p>Pure and deterministic: the date and the catalog are inputs, so decisions are testable as data.
 */
public final class PolicyDecisionPoint {
  private final Agreement agreement;

  private PolicyDecisionPoint(Agreement agreement) {
    this.agreement = agreement;
  }

  public static PolicyDecisionPoint of(Agreement agreement) {
    return new PolicyDecisionPoint(agreement);
  }

  /** Checks the agreement itself and the user and purpose, without a dataset (session open). */
  public Decision decideSession(String user, String purpose, LocalDate on) {
    String missing = missing(user, "user") + missing(purpose, "purpose");
    if (!missing.isEmpty()) {
      return Decision.deny("the request " + missing.trim());
    }
    String state = agreementState(on);
    if (state != null) {
      return Decision.deny(state);
    }
    Optional<Agreement.Purpose> p = agreement.purpose(purpose);
    if (p.isEmpty()) {
      return Decision.deny("purpose '" + purpose + "' is not in agreement " + agreement.label()
          + " (purposes match exactly, case included; it has " + purposeIds() + ")");
    }
    Optional<User> u = agreement.user(user);
    if (u.isEmpty()) {
      return Decision.deny("user '" + user + "' is not named in agreement " + agreement.label()
          + " (user ids match exactly, case included)");
    }
    if (u.get().trainingExpires().isBefore(on)) {
      return Decision.deny("user '" + user + "' has information-governance training that expired on "
          + u.get().trainingExpires(), u.get().roles());
    }
    List<String> roles = rolesFor(u.get(), purpose, null, null);
    if (roles.isEmpty()) {
      return Decision.deny("no role of user '" + user + "' (" + u.get().roles() + ") is granted purpose '" + purpose + "'",
          u.get().roles());
    }
    return new Decision(true, "user '" + user + "' may act under purpose '" + purpose + "' through role(s) " + roles,
        List.of(), null, roles, optOutApplies(p.get().category()));
  }

  /** Decides one request on a date; {@code catalog} (may be null) says what the warehouse holds. */
  public Decision decide(AccessRequest req, LocalDate on, DatasetCatalog catalog) {
    String missing = missing(req.user(), "user") + missing(req.purpose(), "purpose")
        + missing(req.accessType(), "access type") + missing(req.dataset(), "dataset");
    if (!missing.isEmpty()) {
      return Decision.deny("the request " + missing.trim());
    }
    Decision session = decideSession(req.user(), req.purpose(), on);
    if (!session.allowed()) {
      return session;
    }
    if (!Agreement.ACCESS_TYPES.contains(req.accessType())) {
      return Decision.deny("access type '" + req.accessType() + "' is not known (access types match exactly: "
          + Agreement.ACCESS_TYPES + ")", session.roles());
    }
    Optional<DatasetGrant> g = agreement.dataset(req.dataset());
    if (g.isEmpty()) {
      return Decision.deny("dataset '" + req.dataset() + "' is not granted by agreement " + agreement.label(),
          session.roles());
    }
    DatasetGrant grant = g.get();
    if (grant.withdrawnOn() != null && !on.isBefore(grant.withdrawnOn())) {
      return Decision.deny("the provider of dataset '" + grant.name() + "' withdrew from the agreement on "
          + grant.withdrawnOn(), session.roles());
    }
    User user = agreement.user(req.user()).orElseThrow();
    List<String> roles = rolesFor(user, req.purpose(), req.dataset(), req.accessType());
    if (roles.isEmpty()) {
      return Decision.deny("no role of user '" + req.user() + "' grants " + req.accessType() + " of '" + req.dataset()
          + "' under purpose '" + req.purpose() + "'", user.roles());
    }
    List<String> columns = req.columns().isEmpty() ? grant.columns() : req.columns();
    for (String c : columns) {
      if (c == null || !grant.columns().contains(c)) {
        return Decision.deny("column '" + c + "' of '" + grant.name() + "' is not granted (granted: "
            + grant.columns() + ")", roles);
      }
    }
    boolean optOut = session.optOutApplies();
    if (catalog != null) {
      Optional<List<String>> present = catalog.columns(grant.name());
      if (present.isEmpty()) {
        return Decision.deny("dataset '" + grant.name() + "' does not exist in the warehouse", roles);
      }
      Set<String> have = new LinkedHashSet<>(present.get());
      for (String c : columns) {
        if (!have.contains(c)) {
          return Decision.deny("column '" + c + "' is granted but missing from table '" + grant.name()
              + "' (a missing attribute is never filled in)", roles);
        }
      }
      for (String c : scopeColumns(grant.rows())) {
        if (!have.contains(c)) {
          return Decision.deny("the row scope of '" + grant.name() + "' filters on column '" + c
              + "', which the table lacks, so the filter cannot be applied", roles);
        }
      }
      if (optOut && !have.contains("person_id")) {
        return Decision.deny("the national data opt-out applies but table '" + grant.name()
            + "' has no person_id to apply it by", roles);
      }
    }
    return new Decision(true, "granted by role(s) " + roles + " for purpose '" + req.purpose() + "'"
        + (grant.rows() == null ? "" : "; rows limited to " + RowFilters.describe(grant.rows()))
        + (optOut ? "; national data opt-out applied" : ""), columns, grant.rows(), roles, optOut);
  }

  /** The national data opt-out applies to every purpose but direct care. */
  public static boolean optOutApplies(PurposeCategory c) {
    return c != PurposeCategory.DIRECT_CARE;
  }

  /** The agreement-level reason to refuse everything on that date, or null. */
  public String agreementState(LocalDate on) {
    if (on == null) {
      return "the request has no date";
    }
    if (agreement.status() != Agreement.Status.ACTIVE) {
      return "agreement " + agreement.label() + " is " + agreement.status().wire() + ", not active";
    }
    Agreement.Validity v = agreement.validity();
    if (on.isBefore(v.start())) {
      return "agreement " + agreement.label() + " is not in force until " + v.start();
    }
    if (on.isAfter(v.end())) {
      return "agreement " + agreement.label() + " expired on " + v.end();
    }
    if (on.isAfter(v.reviewDate())) {
      return "agreement " + agreement.label() + " was due for review on " + v.reviewDate() + " and has not been reviewed";
    }
    return null;
  }

  static List<String> scopeColumns(Agreement.RowScope s) {
    List<String> out = new ArrayList<>();
    if (s != null) {
      if (s.ages() != null) {
        out.add(s.ages().column());
      }
      if (s.areas() != null) {
        out.add(s.areas().column());
      }
      if (s.dates() != null) {
        out.add(s.dates().column());
      }
    }
    return out;
  }

  private List<String> rolesFor(User u, String purpose, String dataset, String accessType) {
    List<String> out = new ArrayList<>();
    for (String rn : u.roles()) {
      Optional<Role> r = agreement.role(rn);
      if (r.isPresent() && r.get().purposes().contains(purpose)
          && (dataset == null || r.get().datasets().contains(dataset))
          && (accessType == null || r.get().accessTypes().contains(accessType))) {
        out.add(rn);
      }
    }
    return out;
  }

  private List<String> purposeIds() {
    return agreement.purposes().stream().map(Agreement.Purpose::id).toList();
  }

  private static String missing(String v, String what) {
    return v == null || v.isBlank() ? " names no " + what + ";" : "";
  }
}
