package saliency.model.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Scanline polygon fill (even-odd rule, exact on pixel centres); stateless.
 *
 * <p>Pixel {@code (x, y)} of a {@code W x H} mask is inside a polygon iff its centre
 * {@code ((x + 0.5) / W, (y + 0.5) / H)} in normalized coordinates is inside by the even-odd rule, with
 * the crossing test of the classic point-in-polygon loop: the edge from vertex {@code i} to the previous
 * vertex {@code j} counts when {@code (y_i > py) != (y_j > py)} and
 * {@code px < (x_j - x_i) * (py - y_i) / (y_j - y_i) + x_i}. The fill computes the same crossings once per
 * row from an edge table (rows an edge spans, then the crossing x per row), sorts them and fills the spans
 * between pairs, so it costs O(edges + crossings + filled pixels), never a test per pixel.
 *
 * <p>A polygon with fewer than 3 vertices or a non-finite coordinate contributes nothing (no exception).
 */
public final class PolygonRasterizer {
  private PolygonRasterizer() {}

  /** A new {@code width x height} mask holding one polygon. */
  public static Mask rasterize(Polygon polygon, int width, int height) {
    Mask mask = new Mask(width, height);
    fillInto(polygon, mask);
    return mask;
  }

  /** The union of the polygons (a region answer: several {@code <rg>} polygons are OR-ed). */
  public static Mask rasterizeUnion(List<Polygon> polygons, int width, int height) {
    Objects.requireNonNull(polygons, "polygons");
    Mask mask = new Mask(width, height);
    for (Polygon p : polygons) {
      fillInto(p, mask);
    }
    return mask;
  }

  /** One mask per polygon, in order (an instance answer: one mask per {@code <ins>}). */
  public static List<Mask> rasterizeEach(List<Polygon> polygons, int width, int height) {
    Objects.requireNonNull(polygons, "polygons");
    List<Mask> masks = new ArrayList<>(polygons.size());
    for (Polygon p : polygons) {
      masks.add(rasterize(p, width, height));
    }
    return masks;
  }

  /**
   * ORs the polygon's inside pixels into {@code mask} (even-odd within the polygon); degenerate polygons
   * (fewer than 3 vertices, NaN or infinite coordinates) leave the mask unchanged.
   */
  public static void fillInto(Polygon polygon, Mask mask) {
    Objects.requireNonNull(polygon, "polygon");
    Objects.requireNonNull(mask, "mask");
    int n = polygon.size();
    if (n < 3) {
      return;
    }
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = polygon.x(i);
      ys[i] = polygon.y(i);
      if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i])) {
        return;
      }
    }
    fill(xs, ys, mask.width(), mask.height(), mask.bits());
  }

  private static void fill(double[] xs, double[] ys, int width, int height, boolean[] bits) {
    int n = xs.length;
    // Edge table: for edge i (vertex i to vertex i-1), rows [rowStart[i], rowEnd[i]) whose centre it crosses.
    int[] rowStart = new int[n];
    int[] rowEnd = new int[n];
    int[] perRow = new int[height + 1]; // difference array, then crossings per row
    int total = 0;
    for (int i = 0, j = n - 1; i < n; j = i++) {
      double lo = Math.min(ys[i], ys[j]);
      double hi = Math.max(ys[i], ys[j]);
      int r0 = firstCentreAtLeast(lo, height);
      int r1 = lo == hi ? r0 : firstCentreAtLeast(hi, height);
      rowStart[i] = r0;
      rowEnd[i] = r1;
      if (r1 > r0) {
        perRow[r0]++;
        perRow[r1]--;
        total += r1 - r0;
      }
    }
    if (total == 0) {
      return;
    }
    int[] offset = new int[height + 1];
    int running = 0;
    for (int y = 0; y < height; y++) {
      running += perRow[y];
      offset[y + 1] = offset[y] + running;
    }
    int[] cursor = Arrays.copyOf(offset, height);
    double[] crossings = new double[total];
    for (int i = 0, j = n - 1; i < n; j = i++) {
      double xi = xs[i];
      double yi = ys[i];
      double dx = xs[j] - xi;
      double dy = ys[j] - yi;
      for (int y = rowStart[i]; y < rowEnd[i]; y++) {
        double py = (y + 0.5) / height;
        double c = dx * (py - yi) / dy + xi;
        // NaN (only from coordinates near Double.MAX_VALUE) never passes px < c: it acts as -infinity
        crossings[cursor[y]++] = c == c ? c : Double.NEGATIVE_INFINITY;
      }
    }
    for (int y = 0; y < height; y++) {
      int from = offset[y];
      int to = offset[y + 1];
      if (to - from < 2) {
        continue;
      }
      sortRange(crossings, from, to);
      int rowBase = y * width;
      for (int k = from; k + 1 < to; k += 2) {
        int x0 = firstCentreAtLeast(crossings[k], width);
        int x1 = firstCentreAtLeast(crossings[k + 1], width);
        if (x1 > x0) {
          Arrays.fill(bits, rowBase + x0, rowBase + x1, true);
        }
      }
    }
  }

  /** Insertion sort for the few crossings of one row; Arrays.sort beyond a handful. */
  private static void sortRange(double[] a, int from, int to) {
    if (to - from > 24) {
      Arrays.sort(a, from, to);
      return;
    }
    for (int i = from + 1; i < to; i++) {
      double v = a[i];
      int k = i - 1;
      while (k >= from && a[k] > v) {
        a[k + 1] = a[k];
        k--;
      }
      a[k + 1] = v;
    }
  }

  /**
   * The smallest index {@code i} in {@code [0, n]} whose pixel centre {@code (i + 0.5) / n} is
   * {@code >= v} ({@code n} when none), evaluated with the same floating-point expression as the centre
   * test so spans are exact.
   */
  static int firstCentreAtLeast(double v, int n) {
    double t = Math.ceil(v * n - 0.5);
    int i = t <= 0 ? 0 : (t >= n ? n : (int) t);
    while (i > 0 && (i - 1 + 0.5) / n >= v) {
      i--;
    }
    while (i < n && (i + 0.5) / n < v) {
      i++;
    }
    return i;
  }
}
