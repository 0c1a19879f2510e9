package io.idw.cohort.its.internal;

import io.idw.cohort.its.ItsErrors;
import io.idw.cohort.its.ItsSpec;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A monthly series (or two, for a controlled ITS) collected to the driver and checked: one row per
 * series and month, no gaps, counts non-negative, populations positive. Monthly series are small
 * (hundreds of rows), so the model is built in memory after Spark has aggregated them.
 */
public final class SeriesData {
  /** One month of one series; {@code population} is NaN when the spec maps none. */
  public record Point(String group, YearMonth month, double count, double population) {}

  private final List<Point> points;
  private final YearMonth first;

  private SeriesData(List<Point> points, YearMonth first) {
    this.points = List.copyOf(points);
    this.first = first;
  }

  /** Points sorted by group (intervention first) then month. */
  public List<Point> points() {
    return points;
  }

  /** The first month over all series: time 1. */
  public YearMonth first() {
    return first;
  }

  /** Collects and checks the series the spec describes. */
  public static SeriesData collect(ItsSpec spec, Dataset<Row> input) {
    ItsSpec.Columns c = spec.columns();
    List<String> wanted = new ArrayList<>();
    if (c.period() != null) {
      wanted.add(c.period());
    } else {
      wanted.add(c.year());
      wanted.add(c.month());
    }
    wanted.add(c.outcome());
    if (c.population() != null) {
      wanted.add(c.population());
    }
    if (c.group() != null) {
      wanted.add(c.group());
    }
    Set<String> present = new LinkedHashSet<>(Arrays.asList(input.columns()));
    List<String> missing = wanted.stream().filter(w -> !present.contains(w)).toList();
    if (!missing.isEmpty()) {
      throw ItsErrors.columnsMissing(spec.name(), missing, present);
    }
    Dataset<Row> rows = input.select(wanted.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new));
    List<Point> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      int i = 0;
      YearMonth month;
      if (c.period() != null) {
        month = month(spec, r.get(i++));
      } else {
        Object y = r.get(i++);
        Object m = r.get(i++);
        month = yearMonth(spec, y, m);
      }
      String monthText = month.toString();
      String group = c.group() == null ? null : String.valueOf(r.get(wanted.indexOf(c.group())));
      double count = number(spec, r.get(i++), c.outcome(), group, monthText);
      if (count < 0 || count != Math.rint(count)) {
        throw ItsErrors.badValue(spec.name(), c.outcome(), group, monthText,
            count + " is not a non-negative whole count");
      }
      double pop = Double.NaN;
      if (c.population() != null) {
        pop = number(spec, r.get(i), c.population(), group, monthText);
        if (!(pop > 0)) {
          throw ItsErrors.badValue(spec.name(), c.population(), group, monthText, pop + " is not a positive population");
        }
      }
      out.add(new Point(group, month, count, pop));
    }
    if (spec.controlled()) {
      String gi = spec.comparison().intervention();
      String gc = spec.comparison().control();
      Set<String> found = new TreeSet<>();
      out.forEach(p -> found.add(p.group()));
      if (!found.contains(gi) || !found.contains(gc)) {
        throw ItsErrors.groups(spec.name(), c.group(), List.of(gi, gc), found);
      }
      out.removeIf(p -> !p.group().equals(gi) && !p.group().equals(gc));
      out.sort(Comparator.comparing((Point p) -> p.group().equals(gi) ? 0 : 1).thenComparing(Point::month));
    } else if (c.group() != null) {
      Set<String> found = new TreeSet<>();
      out.forEach(p -> found.add(p.group()));
      if (found.size() > 1) {
        throw ItsErrors.groups(spec.name(), c.group(), List.of("(one series)"), found);
      }
      out.sort(Comparator.comparing(Point::month));
    } else {
      out.sort(Comparator.comparing(Point::month));
    }
    if (out.isEmpty()) {
      throw ItsErrors.tooShort(spec.name(), "the input has no rows");
    }
    checkConsecutive(spec, out);
    YearMonth first = out.stream().map(Point::month).min(Comparator.naturalOrder()).orElseThrow();
    return new SeriesData(out, first);
  }

  private static void checkConsecutive(ItsSpec spec, List<Point> pts) {
    TreeMap<String, List<YearMonth>> byGroup = new TreeMap<>();
    for (Point p : pts) {
      byGroup.computeIfAbsent(p.group() == null ? "" : p.group(), k -> new ArrayList<>()).add(p.month());
    }
    for (var e : byGroup.entrySet()) {
      List<YearMonth> ms = e.getValue();
      String g = e.getKey().isEmpty() ? null : e.getKey();
      List<YearMonth> gaps = new ArrayList<>();
      for (int i = 1; i < ms.size(); i++) {
        if (ms.get(i).equals(ms.get(i - 1))) {
          throw ItsErrors.duplicateMonth(spec.name(), g, ms.get(i));
        }
        for (YearMonth m = ms.get(i - 1).plusMonths(1); m.isBefore(ms.get(i)); m = m.plusMonths(1)) {
          gaps.add(m);
        }
      }
      if (!gaps.isEmpty()) {
        throw ItsErrors.gap(spec.name(), g, gaps);
      }
    }
  }

  private static YearMonth month(ItsSpec spec, Object v) {
    if (v instanceof java.sql.Date d) {
      return YearMonth.from(d.toLocalDate());
    }
    if (v instanceof LocalDate d) {
      return YearMonth.from(d);
    }
    if (v instanceof Timestamp t) {
      return YearMonth.from(t.toLocalDateTime());
    }
    if (v instanceof LocalDateTime t) {
      return YearMonth.from(t);
    }
    if (v instanceof java.time.Instant t) {
      return YearMonth.from(t.atZone(java.time.ZoneOffset.UTC));
    }
    String s = v == null ? "" : v.toString().trim();
    try {
      return YearMonth.parse(s.length() >= 7 ? s.substring(0, 7) : s);
    } catch (DateTimeParseException e) {
      throw ItsErrors.badValue(spec.name(), spec.columns().period(), null, null,
          "'" + s + "' is not a YYYY-MM month or a date");
    }
  }

  private static YearMonth yearMonth(ItsSpec spec, Object y, Object m) {
    try {
      int year = (int) number(spec, y, spec.columns().year(), null, null);
      int month = (int) number(spec, m, spec.columns().month(), null, year + "-?");
      return YearMonth.of(year, month);
    } catch (java.time.DateTimeException e) {
      throw ItsErrors.badValue(spec.name(), spec.columns().month(), null, String.valueOf(y), e.getMessage());
    }
  }

  private static double number(ItsSpec spec, Object v, String column, String group, String month) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw ItsErrors.badValue(spec.name(), column, group, month, "'" + s + "' is not a number");
      }
    }
    throw ItsErrors.badValue(spec.name(), column, group, month, v == null ? "the value is missing" : "'" + v + "' is not a number");
  }
}
