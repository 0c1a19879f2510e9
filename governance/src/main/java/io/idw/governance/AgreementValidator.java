package io.idw.governance;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an agreement file completely: syntax, the published schema, the value's own rules, and
 * then what needs the outside world: that each dataset and column exists in the warehouse (when a
 * catalog is given) and that the agreement has not expired or passed its review date. Reports every
 * problem with its field path, not just the first.
 */
public final class AgreementValidator {
  private AgreementValidator() {}

  /** Errors make the agreement unusable; warnings are worth acting on. */
  public record Report(AgreementFile file, List<Problem> errors, List<Problem> warnings) {
    public Report {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }

    public boolean valid() {
      return errors.isEmpty();
    }
  }

  /** Validates a file; {@code catalog} may be null (datasets and columns are then not checked). */
  public static Report validate(Path file, DatasetCatalog catalog, LocalDate today) {
    return validate(Agreements.parse(file), catalog, today);
  }

  public static Report validate(Agreements.Parsed parsed, DatasetCatalog catalog, LocalDate today) {
    List<Problem> errors = new ArrayList<>(parsed.problems());
    List<Problem> warnings = new ArrayList<>();
    if (parsed.file() == null) {
      return new Report(null, errors, warnings);
    }
    Agreement a = parsed.file().agreement();
    Agreement.Validity v = a.validity();
    if (today.isAfter(v.end())) {
      errors.add(new Problem("validity.end", "the agreement expired on " + v.end(),
          "renew it with new dates and a new version, or set status: expired"));
    } else if (today.isAfter(v.reviewDate())) {
      errors.add(new Problem("validity.reviewDate", "the review was due on " + v.reviewDate() + " (review expired)",
          "review the agreement and set the next review date"));
    }
    if (a.status() == Agreement.Status.ACTIVE && today.isBefore(v.start())) {
      warnings.add(new Problem("validity.start", "the agreement is active but not in force until " + v.start(),
          "nothing may be read before then"));
    }
    for (int i = 0; i < a.access().users().size(); i++) {
      Agreement.User u = a.access().users().get(i);
      if (u.trainingExpires().isBefore(today)) {
        warnings.add(new Problem("access.users[" + i + "].trainingExpires", "user '" + u.id()
            + "' has training that expired on " + u.trainingExpires() + ", so their reads are refused",
            "renew their training and update the date"));
      }
    }
    if (catalog == null) {
      warnings.add(new Problem("datasets", "datasets and columns were not checked against a warehouse",
          "pass --warehouse DIR to check them"));
    } else {
      for (int i = 0; i < a.datasets().size(); i++) {
        Agreement.DatasetGrant g = a.datasets().get(i);
        Optional<List<String>> cols = catalog.columns(g.name());
        if (cols.isEmpty()) {
          errors.add(new Problem("datasets[" + i + "].name", "unknown dataset '" + g.name()
              + "': the warehouse has no linked table of that name", "correct the name or run linkage first"));
          continue;
        }
        for (int j = 0; j < g.columns().size(); j++) {
          if (!cols.get().contains(g.columns().get(j))) {
            errors.add(new Problem("datasets[" + i + "].columns[" + j + "]", "unknown column '" + g.columns().get(j)
                + "' in dataset '" + g.name() + "'", "use one of " + cols.get()));
          }
        }
        if (g.rows() != null) {
          String base = "datasets[" + i + "].rows.";
          if (g.rows().ages() != null && !cols.get().contains(g.rows().ages().column())) {
            errors.add(new Problem(base + "ages.column", "unknown column '" + g.rows().ages().column() + "'",
                "use one of " + cols.get()));
          }
          if (g.rows().areas() != null && !cols.get().contains(g.rows().areas().column())) {
            errors.add(new Problem(base + "areas.column", "unknown column '" + g.rows().areas().column() + "'",
                "use one of " + cols.get()));
          }
          if (g.rows().dates() != null && !cols.get().contains(g.rows().dates().column())) {
            errors.add(new Problem(base + "dates.column", "unknown column '" + g.rows().dates().column() + "'",
                "use one of " + cols.get()));
          }
        }
      }
    }
    return new Report(parsed.file(), errors, warnings);
  }
}
