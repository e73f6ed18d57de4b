package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import saliency.model.geometry.Polygon;

class VertexSmootherTest {
  private static final int W = 100;
  private static final int H = 100;

  /** An axis-aligned square answer, listing its corners from {@code start} (0..3) in the given winding. */
  private static String square(double x0, double y0, double side, int start, boolean clockwise) {
    double[][] c = {{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}};
    StringBuilder b = new StringBuilder("<rg>[");
    for (int k = 0; k < 4; k++) {
      int i = clockwise ? (start + k) % 4 : (start - k + 4) % 4;
      b.append(k == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "[%.2f,%.2f]", c[i][0], c[i][1]));
    }
    return b.append("]</rg>").toString();
  }

  private static int ones(double[] map) {
    int n = 0;
    for (double v : map) {
      n += v > 0.5 ? 1 : 0;
    }
    return n;
  }

  private static double centreX(double[] map) {
    double s = 0;
    int n = 0;
    for (int i = 0; i < map.length; i++) {
      if (map[i] > 0.5) {
        s += i % W;
        n++;
      }
    }
    return s / n;
  }

  @Test
  void averagesTheVerticesOfTheSamePolygonWhateverItsStartAndWinding() {
    VertexSmoother s = new VertexSmoother(0.5);
    double[] empty = new double[W * H];
    double[] first = s.apply(W, H, square(0.10, 0.30, 0.40, 0, true), empty);
    assertEquals(40 * 40, ones(first), 80);
    // the same square moved 0.2 to the right, listed from another corner the other way round: the average sits
    // halfway (0.1 to the right), the same size, not a twisted shape
    double[] second = s.apply(W, H, square(0.30, 0.30, 0.40, 2, false), empty);
    assertEquals(40 * 40, ones(second), 80, "the averaged square keeps its area");
    assertEquals(40, centreX(second), 1.0, "halfway between x centres 30 and 50");
  }

  @Test
  void answersWithoutPolygonsKeepTheirMapAndRestartTheAverage() {
    VertexSmoother s = new VertexSmoother(0.5);
    double[] own = new double[W * H];
    own[7] = 0.7;
    s.apply(W, H, square(0.10, 0.30, 0.40, 0, true), own);
    assertSame(own, s.apply(W, H, "<rg>[[0.1,", own), "a failed parse keeps its own map");
    assertSame(own, s.apply(W, H, null, own), "a baseline keeps its own map");
    // restarted: the next polygon is taken as it is
    double[] next = s.apply(W, H, square(0.50, 0.30, 0.40, 0, true), own);
    assertEquals(70, centreX(next), 1.0);
    // a new frame size restarts too
    double[] small = s.apply(W / 2, H / 2, square(0.10, 0.30, 0.40, 0, true), new double[W * H / 4]);
    assertEquals(20 * 20, ones(small), 40);
  }

  @Test
  void resamplesEvenlyAlongTheOutline() {
    Polygon unit = new Polygon(new double[] {0, 1, 1, 0}, new double[] {0, 0, 1, 1});
    double[][] r = VertexSmoother.resample(unit);
    assertEquals(VertexSmoother.POINTS, r[0].length);
    assertArrayEquals(new double[] {0, 0}, new double[] {r[0][0], r[1][0]}, 1e-12);
    assertArrayEquals(new double[] {1, 0}, new double[] {r[0][8], r[1][8]}, 1e-12, "a quarter of the way round");
    assertArrayEquals(new double[] {0.5, 1}, new double[] {r[0][20], r[1][20]}, 1e-12);
    assertTrue(VertexSmoother.bestShift(r, r) == 0);
  }
}
