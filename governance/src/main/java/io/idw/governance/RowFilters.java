package io.idw.governance;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import io.idw.governance.Agreement.RowScope;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Turns a row scope into a Spark predicate. Every part must hold, and a row where the predicate is
 * null (a null age, area or date) is excluded: the filter can never evaluate to "keep everything".
 */
public final class RowFilters {
  private RowFilters() {}

  /** The predicate of a scope; {@code lit(true)} only when there is no scope at all. */
  public static Column predicate(RowScope s) {
    if (s == null) {
      return lit(true);
    }
    Column p = lit(true);
    if (s.ages() != null) {
      Column c = col(s.ages().column());
      if (!s.ages().bands().isEmpty()) {
        p = p.and(c.isin(s.ages().bands().toArray()));
      } else {
        if (s.ages().min() != null) {
          p = p.and(c.cast("int").geq(s.ages().min()));
        }
        if (s.ages().max() != null) {
          p = p.and(c.cast("int").leq(s.ages().max()));
        }
      }
    }
    if (s.areas() != null) {
      p = p.and(col(s.areas().column()).isin(s.areas().values().toArray()));
    }
    if (s.dates() != null) {
      Column d = to_date(col(s.dates().column()));
      if (s.dates().from() != null) {
        p = p.and(d.geq(lit(Date.valueOf(s.dates().from()))));
      }
      if (s.dates().to() != null) {
        p = p.and(d.leq(lit(Date.valueOf(s.dates().to()))));
      }
    }
    return coalesce(p, lit(false));
  }

  /** The scope in plain words, such as {@code district in [Thanet, Swale] and event_date from 2024-01-01}. */
  public static String describe(RowScope s) {
    if (s == null) {
      return "all rows";
    }
    List<String> parts = new ArrayList<>();
    if (s.ages() != null) {
      parts.add(!s.ages().bands().isEmpty() ? s.ages().column() + " in " + s.ages().bands()
          : s.ages().column() + " between " + (s.ages().min() == null ? "any" : s.ages().min()) + " and "
              + (s.ages().max() == null ? "any" : s.ages().max()));
    }
    if (s.areas() != null) {
      parts.add(s.areas().column() + " in " + s.areas().values());
    }
    if (s.dates() != null) {
      parts.add(s.dates().column() + (s.dates().from() == null ? "" : " from " + s.dates().from())
          + (s.dates().to() == null ? "" : " to " + s.dates().to()));
    }
    return String.join(" and ", parts) + " (rows where these are unknown are excluded)";
  }
}
