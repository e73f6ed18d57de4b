package saliency.model.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DouglasPeuckerTest {
  @Test
  void squareWithCollinearPointsKeepsItsCorners() {
    double[] xs = {0, 1, 2, 2, 2, 1, 0, 0};
    double[] ys = {0, 0, 0, 1, 2, 2, 2, 1};
    assertEquals(8, DouglasPeucker.arcLength(xs, ys), 1e-12);
    assertArrayEquals(new int[] {0, 2, 4, 6}, DouglasPeucker.simplifyClosed(xs, ys, 0));
    assertArrayEquals(new int[] {0, 2, 4, 6}, DouglasPeucker.simplifyClosed(xs, ys, 0.1));
  }

  @Test
  void everyDroppedVertexLiesWithinToleranceOfItsReplacingSegment() {
    Random rnd = new Random(3);
    for (int t = 0; t < 200; t++) {
      int n = 5 + rnd.nextInt(200);
      double[] xs = new double[n];
      double[] ys = new double[n];
      for (int i = 0; i < n; i++) {
        double a = 2 * Math.PI * i / n;
        double r = 50 * (1 + 0.3 * rnd.nextDouble());
        xs[i] = r * Math.cos(a);
        ys[i] = r * Math.sin(a);
      }
      double tol = 0.005 * DouglasPeucker.arcLength(xs, ys) * rnd.nextDouble() * 4;
      int[] keep = DouglasPeucker.simplifyClosed(xs, ys, tol);
      assertTrue(keep.length >= 2);
      for (int k = 0; k < keep.length; k++) {
        int a = keep[k];
        int b = keep[(k + 1) % keep.length];
        assertTrue(k + 1 == keep.length || b > a, "kept indices ascend");
        for (int i = (a + 1) % n; i != b; i = (i + 1) % n) {
          double d = DouglasPeucker.segmentDistance(xs[i], ys[i], xs[a], ys[a], xs[b], ys[b]);
          assertTrue(d <= tol * (1 + 1e-12), "vertex " + i + " is " + d + " from its segment, tolerance " + tol);
        }
      }
    }
  }

  @Test
  void zeroToleranceKeepsEveryTurningVertex() {
    double[] xs = {0, 3, 3, 1, 1, 0};
    double[] ys = {0, 0, 2, 2, 1, 1};
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, DouglasPeucker.simplifyClosed(xs, ys, 0));
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> DouglasPeucker.simplifyClosed(new double[3], new double[2], 1));
    assertThrows(IllegalArgumentException.class, () -> DouglasPeucker.simplifyClosed(new double[3], new double[3], Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> DouglasPeucker.simplifyClosed(new double[3], new double[3], -1));
  }
}
