package io.idw.governance.sdc;

import java.util.List;
import java.util.Locale;

/**
 * A table as it may be published: each cell's published value, or null where suppressed, and the
 * published row, column and grand totals. {@code why[r][c]} says why a cell was suppressed ({@code
 * primary: ...} or {@code secondary}), null if it was not.
 */
public record ProtectedTable(String title, List<String> rows, List<String> cols, Double[][] cells, double[] rowTotals,
    double[] colTotals, double grandTotal, String[][] why) {

  /** Number of suppressed cells. */
  public int suppressedCount() {
    int n = 0;
    for (Double[] row : cells) {
      for (Double v : row) {
        if (v == null) {
          n++;
        }
      }
    }
    return n;
  }

  public boolean suppressed(int r, int c) {
    return cells[r][c] == null;
  }

  /** CSV with a header row, a Total column and a Total row; suppressed cells are {@code [c]}. */
  public String toCsv() {
    StringBuilder sb = new StringBuilder();
    sb.append(q(title == null ? "" : title));
    for (String c : cols) {
      sb.append(',').append(q(c));
    }
    sb.append(",Total\n");
    for (int i = 0; i < rows.size(); i++) {
      sb.append(q(rows.get(i)));
      for (int j = 0; j < cols.size(); j++) {
        sb.append(',').append(cells[i][j] == null ? "[c]" : num(cells[i][j]));
      }
      sb.append(',').append(num(rowTotals[i])).append('\n');
    }
    sb.append("Total");
    for (double t : colTotals) {
      sb.append(',').append(num(t));
    }
    sb.append(',').append(num(grandTotal)).append('\n');
    return sb.toString();
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String q(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
