package io.idw.governance;

import io.idw.governance.Agreement.DatasetGrant;
import io.idw.governance.sdc.DisclosureProfile;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Says in plain words what a user may see under a purpose, and why (for {@code idw policy explain}). */
public final class PolicyExplainer {
  private PolicyExplainer() {}

  /** The explanation, and whether the user may read anything at all. */
  public record Explanation(boolean allowed, String text) {}

  public static Explanation explain(AgreementFile file, String user, String purpose, LocalDate on) {
    Agreement a = file.agreement();
    PolicyDecisionPoint pdp = PolicyDecisionPoint.of(a);
    StringBuilder sb = new StringBuilder();
    Agreement.Validity v = a.validity();
    sb.append("Agreement ").append(a.label()).append(" (").append(a.status().wire()).append(", in force ")
        .append(v.start()).append(" to ").append(v.end()).append(", review by ").append(v.reviewDate()).append(")\n");
    sb.append("  policy file ").append(file.origin()).append(", sha256 ").append(file.sha256()).append('\n');
    Decision session = pdp.decideSession(user, purpose, on);
    if (!session.allowed()) {
      sb.append("\n'").append(user).append("' may see NOTHING under purpose '").append(purpose).append("' on ")
          .append(on).append(":\n  ").append(session.reason()).append('\n');
      return new Explanation(false, sb.toString());
    }
    Agreement.Purpose p = a.purpose(purpose).orElseThrow();
    Agreement.User u = a.user(user).orElseThrow();
    sb.append("\n'").append(user).append("' may read under purpose '").append(purpose).append("' (")
        .append(p.category().wire().replace('_', ' ')).append(") through role(s) ").append(session.roles())
        .append("; training valid until ").append(u.trainingExpires()).append(".\n");
    sb.append("  Purpose: ").append(p.description()).append('\n');
    if (!p.prohibitedUses().isEmpty()) {
      sb.append("  Never for: ").append(String.join("; ", p.prohibitedUses())).append('\n');
    }
    sb.append("  You accept: \"").append(p.acknowledgement()).append("\"\n");
    var lb = a.lawfulBasis();
    sb.append("  Lawful basis: UK GDPR Article ").append(lb.article6().basis())
        .append(lb.article6().statutoryPower() == null ? "" : " (" + lb.article6().statutoryPower() + ")")
        .append(" and Article ").append(lb.article9().condition())
        .append(lb.article9().dpaSchedule1Paragraph() == null ? ""
            : " with DPA 2018 Schedule 1 paragraph " + lb.article9().dpaSchedule1Paragraph())
        .append("; common law: ").append(lb.commonLaw().basis().wire())
        .append(lb.commonLaw().reference() == null ? "" : " (" + lb.commonLaw().reference() + ")")
        .append("; DPIA ").append(lb.dpiaReference()).append('\n');
    sb.append("  National data opt-out: ").append(session.optOutApplies()
        ? "APPLIED - people who opted out are removed from every read (" + a.nationalOptOut().reason() + ")"
        : "not applied: the purpose is direct care").append('\n');
    sb.append("  Person ids: re-keyed into this agreement's own pseudonym domain '")
        .append(a.linkage().pseudonymDomain()).append("'; they cannot be joined with any other agreement's extracts.\n");
    for (Agreement.Join j : a.linkage().allowedJoins()) {
      sb.append("  May be joined on person_id: ").append(String.join(", ", j.datasets())).append('\n');
    }
    List<String> denied = new ArrayList<>();
    sb.append("\nDatasets '").append(user).append("' may read on ").append(on).append(":\n");
    for (DatasetGrant g : a.datasets()) {
      Decision d = pdp.decide(AccessRequest.read(user, purpose, g.name()), on, null);
      if (d.allowed()) {
        sb.append("  - ").append(g.name()).append(g.provider() == null ? "" : " from " + g.provider())
            .append(" (").append(g.sensitivity().name().toLowerCase().replace('_', ' ')).append(")\n")
            .append("      columns: ").append(String.join(", ", d.columns())).append('\n')
            .append("      rows: ").append(RowFilters.describe(d.rowScope())).append('\n');
      } else {
        denied.add(g.name() + ": " + d.reason());
      }
    }
    if (!denied.isEmpty()) {
      sb.append("Datasets '").append(user).append("' may NOT read:\n");
      denied.forEach(s -> sb.append("  - ").append(s).append('\n'));
    }
    DisclosureProfile prof = DisclosureProfile.of(a.outputs().disclosureProfile());
    sb.append("\nOutputs: released only after disclosure checks under the '").append(prof.name())
        .append("' profile (counts below ").append(prof.threshold()).append(" suppressed")
        .append(prof.roundingBase() > 1 ? ", rounded to " + prof.roundingBase() : "")
        .append(", secondary suppression, nk and p% dominance, regressions with residual df >= ")
        .append(prof.minResidualDf()).append(", no min or max).\n");
    sb.append("Retention: ").append(a.retention().period()).append(", then ").append(a.retention().action()).append(".\n");
    return new Explanation(true, sb.toString());
  }
}
