package io.idw.governance.sdc;

import java.util.ArrayList;
import java.util.List;

/**
 * A two-way table of labelled cells, the input to disclosure checks. For a frequency table each
 * cell holds one count; for a magnitude table (costs, bed days) each cell holds the values of its
 * contributors (one per person or organisation), and the cell's value is their sum. A one-way
 * table has one column.
 */
public final class CrossTable {
  private final String title;
  private final List<String> rows;
  private final List<String> cols;
  private final double[][][] contributions;
  private final boolean magnitude;

  private CrossTable(String title, List<String> rows, List<String> cols, double[][][] contributions, boolean magnitude) {
    this.title = title;
    this.rows = List.copyOf(rows);
    this.cols = List.copyOf(cols);
    this.contributions = contributions;
    this.magnitude = magnitude;
  }

  /** A frequency table: {@code counts[row][col]}. */
  public static CrossTable counts(String title, List<String> rows, List<String> cols, long[][] counts) {
    check(rows, cols, counts.length, counts.length == 0 ? 0 : counts[0].length);
    double[][][] c = new double[rows.size()][cols.size()][];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < cols.size(); j++) {
        if (counts[i][j] < 0) {
          throw new IllegalArgumentException("count at (" + rows.get(i) + ", " + cols.get(j) + ") is negative");
        }
        c[i][j] = new double[] {counts[i][j]};
      }
    }
    return new CrossTable(title, rows, cols, c, false);
  }

  /** A magnitude table: {@code contributions[row][col]} lists each contributor's value. */
  public static CrossTable magnitudes(String title, List<String> rows, List<String> cols, double[][][] contributions) {
    check(rows, cols, contributions.length, contributions.length == 0 ? 0 : contributions[0].length);
    return new CrossTable(title, rows, cols, contributions, true);
  }

  private static void check(List<String> rows, List<String> cols, int nr, int nc) {
    if (rows.isEmpty() || cols.isEmpty() || nr != rows.size() || nc != cols.size()) {
      throw new IllegalArgumentException("the table's cells (" + nr + "x" + nc + ") do not match its labels ("
          + rows.size() + "x" + cols.size() + ")");
    }
  }

  public String title() { return title; }
  public List<String> rows() { return rows; }
  public List<String> cols() { return cols; }
  public boolean magnitude() { return magnitude; }

  /** The cell's value: its count, or the sum of its contributions. */
  public double value(int r, int c) {
    if (!magnitude) {
      return contributions[r][c][0];
    }
    double s = 0;
    for (double v : contributions[r][c]) {
      s += v;
    }
    return s;
  }

  /** The count of a frequency cell, or the number of contributors of a magnitude cell. */
  public long count(int r, int c) {
    return magnitude ? contributions[r][c].length : (long) contributions[r][c][0];
  }

  /** A magnitude cell's contributions (empty for a frequency table). */
  public double[] contributions(int r, int c) {
    return magnitude ? contributions[r][c].clone() : new double[0];
  }

  /** Contributions of a whole row (c = -1), column (r = -1) or the table (both -1). */
  public double[] contributionsOf(int r, int c) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < cols.size(); j++) {
        if ((r < 0 || r == i) && (c < 0 || c == j)) {
          for (double v : contributions[i][j]) {
            out.add(v);
          }
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
