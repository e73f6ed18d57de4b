package saliency.model.reward;

import java.util.Arrays;
import java.util.Objects;

/**
 * Optimal one-to-one assignment (Hungarian method with potentials, O(n² m)) maximizing the total
 * profit of a rectangular matrix. Stateless.
 */
public final class Assignment {
  private Assignment() {}

  /**
   * For each row, the column assigned to it, or -1 when the row is left unassigned (only when there
   * are more rows than columns); every profit must be finite.
   */
  public static int[] maximize(double[][] profit) {
    Objects.requireNonNull(profit, "profit");
    int rows = profit.length;
    if (rows == 0) {
      return new int[0];
    }
    int cols = profit[0].length;
    for (int r = 0; r < rows; r++) {
      if (profit[r].length != cols) {
        throw new IllegalArgumentException("profit row " + r + " has " + profit[r].length
            + " columns, expected " + cols);
      }
      for (int c = 0; c < cols; c++) {
        if (!Double.isFinite(profit[r][c])) {
          throw new IllegalArgumentException("profit[" + r + "][" + c + "] is " + profit[r][c]);
        }
      }
    }
    int[] result = new int[rows];
    Arrays.fill(result, -1);
    if (cols == 0) {
      return result;
    }
    if (rows <= cols) {
      int[] rowToCol = solve(rows, cols, (r, c) -> -profit[r][c]);
      System.arraycopy(rowToCol, 0, result, 0, rows);
    } else {
      int[] colToRow = solve(cols, rows, (c, r) -> -profit[r][c]);
      for (int c = 0; c < cols; c++) {
        result[colToRow[c]] = c;
      }
    }
    return result;
  }

  private interface Cost {
    double at(int row, int col);
  }

  /** Minimum-cost assignment of n rows into m >= n columns; returns row -> column. */
  private static int[] solve(int n, int m, Cost cost) {
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] p = new int[m + 1]; // p[j]: row (1-based) matched to column j, 0 = none
    int[] way = new int[m + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      double[] minv = new double[m + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      boolean[] used = new boolean[m + 1];
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            double cur = cost.at(i0 - 1, j - 1) - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] rowToCol = new int[n];
    for (int j = 1; j <= m; j++) {
      if (p[j] != 0) {
        rowToCol[p[j] - 1] = j - 1;
      }
    }
    return rowToCol;
  }
}
