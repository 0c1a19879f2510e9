package io.idw.governance.sdc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Complementary suppression for a two-way table with published margins. The published totals give
 * one linear equation per row (if rows have several cells) and per column (if columns have several
 * cells) over the suppressed cells. In the graph whose vertices are those equations (plus one
 * "free" vertex standing for lines without a total) and whose edges are suppressed cells, a cell's
 * value is exactly recoverable if and only if its edge is a bridge: any cycle lets values shift by
 * +t/−t around it without changing a total. So cells are added, cheapest first, until no suppressed
 * cell is a bridge.
 */
final class SecondarySuppression {
  private SecondarySuppression() {}

  record Result(boolean[][] suppressed, List<int[]> added, boolean complete) {}

  static Result protect(boolean[][] primary, double[][] values, boolean colTotals, boolean rowTotals) {
    int nr = primary.length;
    int nc = primary[0].length;
    boolean[][] sup = new boolean[nr][];
    for (int i = 0; i < nr; i++) {
      sup[i] = primary[i].clone();
    }
    List<int[]> added = new ArrayList<>();
    List<int[]> candidates = new ArrayList<>();
    for (int i = 0; i < nr; i++) {
      for (int j = 0; j < nc; j++) {
        candidates.add(new int[] {i, j});
      }
    }
    candidates.sort(Comparator.comparingDouble((int[] c) -> values[c[0]][c[1]] == 0 ? Double.MAX_VALUE : values[c[0]][c[1]])
        .thenComparingInt(c -> c[0]).thenComparingInt(c -> c[1]));
    degreeFix(sup, values, colTotals, rowTotals, added);
    for (int guard = 0; guard < nr * nc; guard++) {
      int[] bridge = firstBridge(sup, colTotals, rowTotals);
      if (bridge == null) {
        return new Result(sup, added, true);
      }
      int[] pick = null;
      for (int[] c : candidates) {
        if (!sup[c[0]][c[1]]) {
          sup[c[0]][c[1]] = true;
          boolean fixes = !isBridge(sup, bridge, colTotals, rowTotals);
          sup[c[0]][c[1]] = false;
          if (fixes) {
            pick = c;
            break;
          }
        }
      }
      if (pick == null) {
        // no single cell closes a cycle through the bridge: complete a rectangle, cheapest pair first
        double best = Double.MAX_VALUE;
        int[][] bestPair = null;
        for (int a = 0; a < candidates.size(); a++) {
          int[] x = candidates.get(a);
          if (sup[x[0]][x[1]]) {
            continue;
          }
          for (int b = a + 1; b < candidates.size(); b++) {
            int[] y = candidates.get(b);
            if (sup[y[0]][y[1]]) {
              continue;
            }
            double cost = values[x[0]][x[1]] + values[y[0]][y[1]];
            if (cost >= best) {
              continue;
            }
            sup[x[0]][x[1]] = true;
            sup[y[0]][y[1]] = true;
            if (!isBridge(sup, bridge, colTotals, rowTotals)) {
              best = cost;
              bestPair = new int[][] {x, y};
            }
            sup[x[0]][x[1]] = false;
            sup[y[0]][y[1]] = false;
          }
        }
        if (bestPair == null) {
          return new Result(sup, added, false);
        }
        for (int[] c : bestPair) {
          sup[c[0]][c[1]] = true;
          added.add(c);
        }
        continue;
      }
      sup[pick[0]][pick[1]] = true;
      added.add(pick);
    }
    return new Result(sup, added, firstBridge(sup, colTotals, rowTotals) == null);
  }

  /**
   * Phase 1, the classic rule: while a row (column) with a total has exactly one suppressed cell,
   * suppress the smallest other cell of it, preferring cells whose column (row) already has a
   * suppressed cell.
   */
  private static void degreeFix(boolean[][] sup, double[][] values, boolean colTotals, boolean rowTotals,
      List<int[]> added) {
    int nr = sup.length;
    int nc = sup[0].length;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < nr && rowTotals; i++) {
        if (countRow(sup, i) == 1) {
          int best = -1;
          for (int j = 0; j < nc; j++) {
            if (!sup[i][j] && (best < 0 || better(values[i][j], countCol(sup, j) > 0, values[i][best], countCol(sup, best) > 0))) {
              best = j;
            }
          }
          if (best >= 0) {
            sup[i][best] = true;
            added.add(new int[] {i, best});
            changed = true;
          }
        }
      }
      for (int j = 0; j < nc && colTotals; j++) {
        if (countCol(sup, j) == 1) {
          int best = -1;
          for (int i = 0; i < nr; i++) {
            if (!sup[i][j] && (best < 0 || better(values[i][j], countRow(sup, i) > 0, values[best][j], countRow(sup, best) > 0))) {
              best = i;
            }
          }
          if (best >= 0) {
            sup[best][j] = true;
            added.add(new int[] {best, j});
            changed = true;
          }
        }
      }
    }
  }

  /** Prefer a cell whose other line already has a suppression, then the smaller non-zero value. */
  private static boolean better(double v, boolean paired, double bestV, boolean bestPaired) {
    if (paired != bestPaired) {
      return paired;
    }
    double a = v == 0 ? Double.MAX_VALUE : v;
    double b = bestV == 0 ? Double.MAX_VALUE : bestV;
    return a < b;
  }

  private static int countRow(boolean[][] sup, int i) {
    int n = 0;
    for (boolean b : sup[i]) {
      n += b ? 1 : 0;
    }
    return n;
  }

  private static int countCol(boolean[][] sup, int j) {
    int n = 0;
    for (boolean[] row : sup) {
      n += row[j] ? 1 : 0;
    }
    return n;
  }

  /** Vertex of a cell's row equation: 1 + i, or 0 (free) when rows have no total of several cells. */
  private static int rowVertex(int i, boolean rowTotals) {
    return rowTotals ? 1 + i : 0;
  }

  private static int colVertex(int j, int nr, boolean colTotals) {
    return colTotals ? 1 + nr + j : 0;
  }

  static int[] firstBridge(boolean[][] sup, boolean colTotals, boolean rowTotals) {
    for (int i = 0; i < sup.length; i++) {
      for (int j = 0; j < sup[0].length; j++) {
        if (sup[i][j] && isBridge(sup, new int[] {i, j}, colTotals, rowTotals)) {
          return new int[] {i, j};
        }
      }
    }
    return null;
  }

  /** True if the suppressed cell's edge is a bridge: without it, its two vertices are disconnected. */
  static boolean isBridge(boolean[][] sup, int[] cell, boolean colTotals, boolean rowTotals) {
    int nr = sup.length;
    int nc = sup[0].length;
    int from = rowVertex(cell[0], rowTotals);
    int to = colVertex(cell[1], nr, colTotals);
    if (from == to) {
      return false; // no total involves the cell
    }
    boolean[] seen = new boolean[1 + nr + nc];
    Deque<Integer> q = new ArrayDeque<>();
    q.add(from);
    seen[from] = true;
    while (!q.isEmpty()) {
      int v = q.poll();
      for (int i = 0; i < nr; i++) {
        for (int j = 0; j < nc; j++) {
          if (!sup[i][j] || (i == cell[0] && j == cell[1])) {
            continue;
          }
          int a = rowVertex(i, rowTotals);
          int b = colVertex(j, nr, colTotals);
          int w = a == v ? b : b == v ? a : -1;
          if (w >= 0 && !seen[w]) {
            if (w == to) {
              return false;
            }
            seen[w] = true;
            q.add(w);
          }
        }
      }
    }
    return true;
  }
}
