package saliency.model.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;

/** Hungarian matching against brute force, and the SIS reward on hand-made instances. */
class InstanceRewardsTest {
  private static final int W = 12;
  private static final int H = 12;

  private static Mask rect(int x0, int y0, int x1, int y1) {
    Mask m = new Mask(W, H);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        m.set(x, y, true);
      }
    }
    return m;
  }

  @Test
  void assignmentIsOptimalAgainstBruteForce() {
    Random rnd = new Random(3);
    for (int t = 0; t < 300; t++) {
      int rows = 1 + rnd.nextInt(5);
      int cols = 1 + rnd.nextInt(5);
      double[][] p = new double[rows][cols];
      for (double[] row : p) {
        for (int c = 0; c < cols; c++) {
          row[c] = rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble();
        }
      }
      int[] a = Assignment.maximize(p);
      double got = 0;
      boolean[] usedCol = new boolean[cols];
      int assigned = 0;
      for (int r = 0; r < rows; r++) {
        if (a[r] >= 0) {
          assertEquals(false, usedCol[a[r]], "column used twice");
          usedCol[a[r]] = true;
          got += p[r][a[r]];
          assigned++;
        }
      }
      assertEquals(Math.min(rows, cols), assigned);
      assertEquals(best(p, 0, new boolean[cols]), got, 1e-12);
    }
  }

  private static double best(double[][] p, int row, boolean[] used) {
    if (row == p.length) {
      return 0;
    }
    double b = best(p, row + 1, used); // leave this row unassigned
    for (int c = 0; c < used.length; c++) {
      if (!used[c]) {
        used[c] = true;
        b = Math.max(b, p[row][c] + best(p, row + 1, used));
        used[c] = false;
      }
    }
    return b;
  }

  @Test
  void greedyWouldBeWrongHungarianIsNot() {
    // greedy takes 0.9 and is left with 0.0; optimal is 0.8 + 0.8
    int[] a = Assignment.maximize(new double[][] {{0.9, 0.8}, {0.8, 0.0}});
    assertArrayEquals(new int[] {1, 0}, a);
  }

  @Test
  void perfectInstancesInAnyOrder() {
    Mask a = rect(0, 0, 4, 4);
    Mask b = rect(6, 6, 10, 10);
    assertEquals(1.0, InstanceRewards.meanMatchedIou(List.of(b, a), List.of(a, b)), 0.0);
  }

  @Test
  void unmatchedInstancesCountZero() {
    Mask a = rect(0, 0, 4, 4);
    Mask b = rect(6, 6, 10, 10);
    Mask c = rect(0, 8, 3, 12);
    // one extra prediction: (1 + 1 + 0) / 3
    assertEquals(2.0 / 3, InstanceRewards.meanMatchedIou(List.of(a, b, c), List.of(a, b)), 1e-15);
    // one missed ground truth: 1 / 2
    assertEquals(0.5, InstanceRewards.meanMatchedIou(List.of(a), List.of(a, b)), 1e-15);
    // half-overlapping match: IoU 8/24 averaged with a perfect one
    Mask aShift = rect(2, 0, 6, 4);
    assertEquals((1 + 8.0 / 24) / 2,
        InstanceRewards.meanMatchedIou(List.of(aShift, b), List.of(a, b)), 1e-15);
  }

  @Test
  void emptyLists() {
    Mask a = rect(0, 0, 4, 4);
    assertEquals(1.0, InstanceRewards.meanMatchedIou(List.of(), List.of()), 0.0);
    assertEquals(0.0, InstanceRewards.meanMatchedIou(List.of(), List.of(a)), 0.0);
    assertEquals(0.0, InstanceRewards.meanMatchedIou(List.of(a), List.of()), 0.0);
  }
}
