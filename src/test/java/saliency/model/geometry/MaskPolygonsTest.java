package saliency.model.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskPolygonsTest {
  private static final MaskPolygons.Options EXACT =
      MaskPolygons.Options.defaults().withEps(0).withMinArea(1);

  /** A smooth closed shape as a dense clockwise polygon: an ellipse or a radial blob. */
  static Polygon smoothShape(Random rnd, int w, int h) {
    int n = 240;
    double cx = 0.3 + 0.4 * rnd.nextDouble();
    double cy = 0.3 + 0.4 * rnd.nextDouble();
    double rx = 0.08 + 0.17 * rnd.nextDouble();
    double ry = 0.08 + 0.17 * rnd.nextDouble();
    double rot = Math.PI * rnd.nextDouble();
    boolean blob = rnd.nextBoolean();
    double[] amp = new double[6];
    double[] phase = new double[6];
    for (int k = 2; k < 6 && blob; k++) {
      amp[k] = 0.25 * rnd.nextDouble() / (k - 1);
      phase[k] = 2 * Math.PI * rnd.nextDouble();
    }
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      double t = 2 * Math.PI * i / n;
      double r = 1;
      for (int k = 2; k < 6; k++) {
        r += amp[k] * Math.sin(k * t + phase[k]);
      }
      double ex = r * rx * Math.cos(t);
      double ey = r * ry * Math.sin(t);
      xs[i] = cx + ex * Math.cos(rot) - ey * Math.sin(rot);
      ys[i] = cy + ex * Math.sin(rot) + ey * Math.cos(rot);
    }
    return new Polygon(xs, ys);
  }

  static void assertValidAnswerPolygons(List<Polygon> ps, int maxVertices) {
    for (Polygon p : ps) {
      assertTrue(p.size() >= 3 && p.size() <= maxVertices, "vertex count " + p.size());
      assertTrue(p.isClockwise(), "clockwise: " + p);
      assertTrue(PolygonChecks.isSimple(p), "simple: " + p);
      for (int i = 0; i < p.size(); i++) {
        assertTrue(p.x(i) >= 0 && p.x(i) <= 1 && p.y(i) >= 0 && p.y(i) <= 1, "normalized: " + p);
      }
    }
  }

  /** The mask with every hole filled: pixels not reachable from outside through 4-connected background. */
  static Mask fillHoles(Mask m) {
    int w = m.width() + 2;
    int h = m.height() + 2;
    boolean[] outside = new boolean[w * h];
    int[] queue = new int[w * h];
    int head = 0;
    int tail = 0;
    outside[0] = true;
    queue[tail++] = 0;
    int[] dx = {1, -1, 0, 0};
    int[] dy = {0, 0, 1, -1};
    while (head < tail) {
      int p = queue[head++];
      int x = p % w;
      int y = p / w;
      for (int k = 0; k < 4; k++) {
        int nx = x + dx[k];
        int ny = y + dy[k];
        if (nx < 0 || ny < 0 || nx >= w || ny >= h || outside[ny * w + nx]) {
          continue;
        }
        boolean fg = nx >= 1 && ny >= 1 && nx <= m.width() && ny <= m.height() && m.get(nx - 1, ny - 1);
        if (!fg) {
          outside[ny * w + nx] = true;
          queue[tail++] = ny * w + nx;
        }
      }
    }
    Mask filled = new Mask(m.width(), m.height());
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        filled.set(x, y, !outside[(y + 1) * w + x + 1]);
      }
    }
    return filled;
  }

  @Test
  void smoothShapesRoundTripAtTheDefaultTolerance() {
    Random rnd = new Random(11);
    for (int t = 0; t < 150; t++) {
      int w = 60 + rnd.nextInt(200);
      int h = 60 + rnd.nextInt(200);
      List<Polygon> shapes = new ArrayList<>();
      for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
        shapes.add(smoothShape(rnd, w, h));
      }
      Mask mask = PolygonRasterizer.rasterizeUnion(shapes, w, h);
      List<Polygon> ps = MaskPolygons.polygons(mask);
      assertValidAnswerPolygons(ps, Integer.MAX_VALUE);
      double iou = PolygonRasterizer.rasterizeUnion(ps, w, h).iou(mask);
      assertTrue(iou >= 0.95, "shape " + t + ": IoU " + iou);
    }
  }

  @Test
  void zeroToleranceReproducesRandomMasksExactlyWithHolesFilled() {
    Random rnd = new Random(5);
    for (int t = 0; t < 200; t++) {
      int w = 3 + rnd.nextInt(22);
      int h = 3 + rnd.nextInt(22);
      double density = 0.2 + 0.6 * rnd.nextDouble();
      Mask mask = new Mask(w, h);
      for (int i = 0; i < w * h; i++) {
        mask.bits()[i] = rnd.nextDouble() < density;
      }
      List<Polygon> ps = MaskPolygons.polygons(mask, EXACT);
      assertValidAnswerPolygons(ps, Integer.MAX_VALUE);
      assertEquals(fillHoles(mask), PolygonRasterizer.rasterizeUnion(ps, w, h), "mask " + t);
      assertEquals(countComponents8(mask), ps.size(), "one polygon per 8-connected component, mask " + t);
    }
  }

  /** Brute-force count of 8-connected components by flood fill. */
  static int countComponents8(Mask m) {
    int w = m.width();
    int h = m.height();
    boolean[] seen = new boolean[w * h];
    int[] stack = new int[w * h];
    int count = 0;
    for (int s = 0; s < w * h; s++) {
      if (!m.bits()[s] || seen[s]) {
        continue;
      }
      count++;
      int top = 0;
      stack[top++] = s;
      seen[s] = true;
      while (top > 0) {
        int p = stack[--top];
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int x = p % w + dx;
            int y = p / w + dy;
            if (x >= 0 && y >= 0 && x < w && y < h && m.get(x, y) && !seen[y * w + x]) {
              seen[y * w + x] = true;
              stack[top++] = y * w + x;
            }
          }
        }
      }
    }
    return count;
  }

  @Test
  void diagonalPinchesStayOneSimplePolygon() {
    Mask diag = new Mask(12, 12);
    for (int i = 0; i < 12; i++) {
      diag.set(i, i, true);
    }
    List<Polygon> ps = MaskPolygons.polygons(diag, EXACT);
    assertEquals(1, ps.size());
    assertValidAnswerPolygons(ps, Integer.MAX_VALUE);
    assertEquals(diag, PolygonRasterizer.rasterize(ps.get(0), 12, 12));
    Mask checker = new Mask(9, 7);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 9; x++) {
        checker.set(x, y, (x + y) % 2 == 0);
      }
    }
    List<Polygon> cs = MaskPolygons.polygons(checker, EXACT);
    assertEquals(1, cs.size());
    assertValidAnswerPolygons(cs, Integer.MAX_VALUE);
    assertEquals(fillHoles(checker), PolygonRasterizer.rasterize(cs.get(0), 9, 7));
  }

  @Test
  void vertexBudgetIsMetWithValidPolygons() {
    Random rnd = new Random(13);
    for (int budget : new int[] {3, 4, 8, 16, 24}) {
      for (int t = 0; t < 40; t++) {
        int w = 80 + rnd.nextInt(320);
        int h = 80 + rnd.nextInt(320);
        Mask mask = PolygonRasterizer.rasterizeUnion(List.of(smoothShape(rnd, w, h), smoothShape(rnd, w, h)), w, h);
        List<Polygon> ps = MaskPolygons.polygons(mask, MaskPolygons.Options.defaults().withMaxVertices(budget));
        assertValidAnswerPolygons(ps, budget);
        double iou = PolygonRasterizer.rasterizeUnion(ps, w, h).iou(mask);
        if (budget >= 16) {
          assertTrue(iou >= 0.9, "budget " + budget + " shape " + t + ": IoU " + iou);
        }
      }
    }
  }

  @Test
  void componentsAreSortedLimitedAndFilteredByArea() {
    Mask m = new Mask(40, 20);
    fillRect(m, 1, 1, 5, 5); // 25
    fillRect(m, 10, 1, 8, 8); // 64
    fillRect(m, 25, 1, 3, 3); // 9: under the default minimum area of 10
    fillRect(m, 30, 10, 6, 6); // 36
    List<Polygon> ps = MaskPolygons.polygons(m);
    assertEquals(3, ps.size());
    assertEquals(64.0 / (40 * 20), ps.get(0).signedArea2() / 2, 1e-12);
    assertEquals(36.0 / (40 * 20), ps.get(1).signedArea2() / 2, 1e-12);
    assertEquals(25.0 / (40 * 20), ps.get(2).signedArea2() / 2, 1e-12);
    assertEquals(2, MaskPolygons.polygons(m, MaskPolygons.Options.defaults().withMaxComponents(2)).size());
    assertEquals(4, MaskPolygons.polygons(m, MaskPolygons.Options.defaults().withMinArea(1)).size());
    assertEquals(ps.get(0), MaskPolygons.largest(m, MaskPolygons.Options.defaults()).orElseThrow());
  }

  @Test
  void emptyFullAndSinglePixelMasks() {
    assertTrue(MaskPolygons.polygons(new Mask(10, 10)).isEmpty());
    assertTrue(MaskPolygons.largest(new Mask(10, 10), MaskPolygons.Options.defaults()).isEmpty());
    Mask full = new Mask(7, 5);
    java.util.Arrays.fill(full.bits(), true);
    List<Polygon> fp = MaskPolygons.polygons(full);
    assertEquals(1, fp.size());
    assertEquals(4, fp.get(0).size());
    assertEquals(full, PolygonRasterizer.rasterize(fp.get(0), 7, 5));
    Mask dot = new Mask(10, 10);
    dot.set(4, 6, true);
    assertTrue(MaskPolygons.polygons(dot).isEmpty()); // below the default minimum area
    List<Polygon> dp = MaskPolygons.polygons(dot, EXACT);
    assertEquals(1, dp.size());
    assertEquals(4, dp.get(0).size());
    assertEquals(dot, PolygonRasterizer.rasterize(dp.get(0), 10, 10));
  }

  @Test
  void optionsRejectBadValues() {
    MaskPolygons.Options d = MaskPolygons.Options.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withEps(-0.1));
    assertThrows(IllegalArgumentException.class, () -> d.withEps(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> d.withMaxVertices(2));
    assertThrows(IllegalArgumentException.class, () -> d.withMaxComponents(0));
    assertThrows(IllegalArgumentException.class, () -> d.withMinArea(0));
  }

  private static void fillRect(Mask m, int x0, int y0, int w, int h) {
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        m.set(x, y, true);
      }
    }
  }
}
