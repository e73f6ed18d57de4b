package saliency.model.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PolygonRasterizerTest {
  static Polygon poly(double... xy) {
    double[] xs = new double[xy.length / 2];
    double[] ys = new double[xy.length / 2];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = xy[2 * i];
      ys[i] = xy[2 * i + 1];
    }
    return new Polygon(xs, ys);
  }

  /** The specification: pixel centre in normalized coordinates, even-odd crossing test per pixel. */
  static Mask bruteForce(Polygon p, int w, int h) {
    Mask m = new Mask(w, h);
    int n = p.size();
    for (int y = 0; y < h; y++) {
      double py = (y + 0.5) / h;
      for (int x = 0; x < w; x++) {
        double px = (x + 0.5) / w;
        boolean in = false;
        for (int i = 0, j = n - 1; i < n; j = i++) {
          if ((p.y(i) > py) != (p.y(j) > py)
              && px < (p.x(j) - p.x(i)) * (py - p.y(i)) / (p.y(j) - p.y(i)) + p.x(i)) {
            in = !in;
          }
        }
        m.set(x, y, in);
      }
    }
    return m;
  }

  @Test
  void randomPolygonsMatchTheCentrePointEvenOddTestExactly() {
    Random rnd = new Random(42);
    int[][] sizes = {{37, 23}, {64, 64}, {13, 51}, {100, 75}};
    for (int t = 0; t < 400; t++) {
      int[] s = sizes[t % sizes.length];
      int n = 3 + rnd.nextInt(25);
      double[] xy = new double[2 * n];
      for (int i = 0; i < 2 * n; i++) {
        xy[i] = -0.2 + 1.4 * rnd.nextDouble(); // self-intersecting, partly outside the image
      }
      Polygon p = poly(xy);
      assertEquals(bruteForce(p, s[0], s[1]), PolygonRasterizer.rasterize(p, s[0], s[1]), "polygon " + t);
    }
  }

  @Test
  void verticesOnPixelCentresAndCornersMatchTheSpecificationExactly() {
    Random rnd = new Random(7);
    for (int t = 0; t < 300; t++) {
      int w = 5 + rnd.nextInt(30);
      int h = 5 + rnd.nextInt(30);
      int n = 3 + rnd.nextInt(10);
      double[] xy = new double[2 * n];
      for (int i = 0; i < n; i++) {
        double off = rnd.nextBoolean() ? 0.5 : 0.0; // ties: vertices and horizontal edges on centre rows
        xy[2 * i] = (rnd.nextInt(w + 1) + off) / w;
        xy[2 * i + 1] = (rnd.nextInt(h + 1) + off) / h;
      }
      Polygon p = poly(xy);
      assertEquals(bruteForce(p, w, h), PolygonRasterizer.rasterize(p, w, h), "polygon " + p);
    }
  }

  @Test
  void hugeCoordinatesFollowTheSpecificationWithoutExceptions() {
    Polygon[] ps = {
      poly(-1e308, 0.5, 1e308, 0.2, 0.5, 0.9),
      poly(-Double.MAX_VALUE, 0.3, Double.MAX_VALUE, 0.3, 0.6, 0.95, 0.2, 0.6),
      poly(0.1, -1e300, 0.9, 0.5, 0.1, 1e300),
      // the edge from (-MAX, 0.45) to (MAX, 0.9) meets the centre row 0.45 of a 10-row mask: inf * 0 = NaN
      poly(Double.MAX_VALUE, 0.9, -Double.MAX_VALUE, 0.45, 0.5, 0.1),
    };
    for (Polygon p : ps) {
      assertEquals(bruteForce(p, 23, 10), PolygonRasterizer.rasterize(p, 23, 10), p.toString());
    }
  }

  @Test
  void polygonCoveringTheWholeImageFillsEveryPixel() {
    Mask exact = PolygonRasterizer.rasterize(poly(0, 0, 1, 0, 1, 1, 0, 1), 40, 30);
    assertEquals(40 * 30, exact.count());
    Mask larger = PolygonRasterizer.rasterize(poly(-1, -1, 2, -1, 2, 2, -1, 2), 7, 9);
    assertEquals(7 * 9, larger.count());
  }

  @Test
  void degenerateInputsContributeNothing() {
    assertTrue(PolygonRasterizer.rasterize(poly(0.1, 0.1, 0.9, 0.9), 10, 10).isEmpty());
    assertTrue(PolygonRasterizer.rasterize(poly(), 10, 10).isEmpty());
    assertTrue(PolygonRasterizer.rasterize(poly(0, 0, Double.NaN, 0, 1, 1), 10, 10).isEmpty());
    assertTrue(PolygonRasterizer.rasterize(poly(0, 0, Double.POSITIVE_INFINITY, 0, 1, 1), 10, 10).isEmpty());
    assertTrue(PolygonRasterizer.rasterize(poly(0.1, 0.5, 0.5, 0.5, 0.9, 0.5), 10, 10).isEmpty()); // zero area
    assertTrue(PolygonRasterizer.rasterizeUnion(List.of(), 10, 10).isEmpty());
    // a degenerate polygon in a union leaves the others intact
    Mask m = PolygonRasterizer.rasterizeUnion(
        List.of(poly(0, 0, Double.NaN, 1, 1, 1), poly(0, 0, 0.5, 0, 0.5, 0.5, 0, 0.5)), 10, 10);
    assertEquals(25, m.count());
  }

  @Test
  void tinyPolygonsFillOnlyTheCentresTheyContain() {
    // inside pixel (3, 2) of 10x10 but away from its centre (0.35, 0.25)
    assertTrue(PolygonRasterizer.rasterize(poly(0.30, 0.20, 0.33, 0.20, 0.33, 0.23), 10, 10).isEmpty());
    Mask one = PolygonRasterizer.rasterize(poly(0.34, 0.24, 0.36, 0.24, 0.36, 0.26, 0.34, 0.26), 10, 10);
    assertEquals(1, one.count());
    assertTrue(one.get(3, 2));
  }

  @Test
  void evenOddLeavesThePentagramCentreEmpty() {
    double[] xy = new double[10];
    for (int k = 0; k < 5; k++) {
      double a = -Math.PI / 2 + k * 4 * Math.PI / 5; // every second point of a pentagon
      xy[2 * k] = 0.5 + 0.45 * Math.cos(a);
      xy[2 * k + 1] = 0.5 + 0.45 * Math.sin(a);
    }
    Mask m = PolygonRasterizer.rasterize(poly(xy), 101, 101);
    assertFalse(m.get(50, 50));
    assertTrue(m.get(50, 10)); // inside the top point
    assertEquals(bruteForce(poly(xy), 101, 101), m);
  }

  @Test
  void unionIsTheOrAndEachGivesOneMaskPerPolygon() {
    Polygon a = poly(0.1, 0.1, 0.6, 0.1, 0.6, 0.6, 0.1, 0.6);
    Polygon b = poly(0.4, 0.4, 0.9, 0.4, 0.9, 0.9);
    Mask union = PolygonRasterizer.rasterizeUnion(List.of(a, b), 50, 40);
    Mask expected = bruteForce(a, 50, 40).orInPlace(bruteForce(b, 50, 40));
    assertEquals(expected, union);
    List<Mask> each = PolygonRasterizer.rasterizeEach(List.of(a, b), 50, 40);
    assertEquals(2, each.size());
    assertEquals(bruteForce(a, 50, 40), each.get(0));
    assertEquals(bruteForce(b, 50, 40), each.get(1));
    // orientation does not matter for the fill
    assertEquals(each.get(0), PolygonRasterizer.rasterize(a.reversed(), 50, 40));
  }
}
