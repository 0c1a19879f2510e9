package io.idw.governance;

import io.idw.core.IdwException;
import java.nio.file.Path;
import java.util.List;

/** The errors factory of the governance module: every exception governance throws is made here. */
public final class GovernanceErrors {
  private GovernanceErrors() {}

  /** A governed read or session open refused by the policy decision point. */
  public static IdwException denied(String what, String reason) {
    return new IdwException("governance.denied",
        what + " was denied",
        reason,
        "ask the agreement's owner to change the agreement, or request only what it permits (see 'idw policy explain')");
  }

  public static IdwException optOutListMissing(String table) {
    return new IdwException("governance.optout.missing",
        "the national data opt-out cannot be applied",
        "the opt-out list " + table + " is missing",
        "load the national opt-out list (pseudonymised at ingest) before reading for any purpose but direct care");
  }

  public static IdwException agreementInvalid(String origin, List<Problem> problems) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < problems.size() && i < 5; i++) {
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(problems.get(i).field()).append(": ").append(problems.get(i).reason());
    }
    if (problems.size() > 5) {
      sb.append("; and ").append(problems.size() - 5).append(" more");
    }
    return new IdwException("governance.agreement.invalid",
        "the agreement " + origin + " is not valid, so nothing may be read under it",
        sb.toString(),
        "run 'idw policy validate " + origin + "' for every problem with its fix, correct the file and try again");
  }

  public static IdwException agreementUnreadable(Path file, Exception cause) {
    return new IdwException("governance.agreement.unreadable",
        "cannot read the agreement " + file,
        String.valueOf(cause.getMessage()),
        "check that the file exists and is readable", cause);
  }

  public static IdwException missingKey(String what) {
    return new IdwException("governance.key.missing",
        "no pseudonym key for " + what,
        "person ids are re-keyed into each agreement's own pseudonym domain, and there is no key to do it with",
        "give the session the warehouse key set (see 'idw keys'); idw never falls back to unkeyed ids");
  }

  public static IdwException releaseRefused(String output, String reason) {
    return new IdwException("governance.release.refused",
        "output " + output + " cannot be released",
        reason,
        "fix the disclosure problems (merge categories, drop min/max, widen bands), or for a 'review' "
            + "record an exception from a named checker with --checker and --exception");
  }

  public static IdwException ioFailure(String what, Exception cause) {
    return new IdwException("governance.io",
        "cannot " + what,
        String.valueOf(cause.getMessage()),
        "check the path exists and is writable", cause);
  }

  public static IdwException badInput(String what, String reason, String fix) {
    return new IdwException("governance.input", what, reason, fix);
  }

  /** The audit log does not verify, so the approvals recorded in it cannot be trusted. */
  public static IdwException auditBroken(String file, String where) {
    return new IdwException("governance.audit.broken",
        "the audit log " + file + " has been tampered with, so no agreement approval in it can be trusted",
        where,
        "restore the audit log from its backup (see 'idw audit verify'); until then no governed session opens");
  }

  /** A session under an agreement file that is not the approved one for its id and version. */
  public static IdwException agreementNotApproved(String origin, String reason) {
    return new IdwException("governance.agreement.unapproved",
        "the agreement " + origin + " may not be used in this warehouse",
        reason,
        "use the approved file, or have a governance officer review this one and approve it with "
            + "'idw policy approve FILE --warehouse DIR --by NAME' (a changed agreement should get a new version)");
  }
}
