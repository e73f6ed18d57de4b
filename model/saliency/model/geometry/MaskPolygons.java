package saliency.model.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Mask to answer polygons (SimpleSeg targets): the outer contour of each 8-connected component, simplified
 * with Douglas-Peucker at {@code eps * arcLength}, clockwise, simple and normalized to [0,1]; stateless.
 *
 * <p>Holes are ignored (each polygon is a component's outer contour). Contours are traced on pixel corners,
 * so at {@code eps = 0} the union of the polygons, filled at pixel centres by {@link PolygonRasterizer},
 * reproduces the mask with its holes filled exactly. Simplification runs in pixel coordinates (distances in
 * pixels, arc length in pixels); the result is then divided by width and height.
 *
 * <p>Every returned polygon has at least 3 vertices, is clockwise ({@link Polygon#isClockwise()}) and passes
 * {@link PolygonChecks#isSimple}. When Douglas-Peucker at the requested tolerance gives a polygon that fails
 * these checks, the tolerance is halved (up to 8 times), then the unsimplified contour is used (simple by
 * construction). With a vertex budget ({@link Options#maxVertices()}) that this polygon exceeds, vertices
 * are then removed one at a time, least area change first (Visvalingam-Whyatt), skipping any removal that
 * would make the polygon self-intersect; this fits any budget of 3 or more and stays simple (a coarser
 * Douglas-Peucker tolerance does not: on thin shapes it crosses itself long before it fits). Should the
 * result still fail the checks, the convex hull of the contour, trimmed the same way, is used.
 *
 * <p>Where pixels of a component touch only diagonally, the traced contour keeps a bridge 0.002 pixels wide
 * ({@link ContourTracer}); if such vertices survive simplification they lie within 0.001 pixels of each
 * other, so coarse quantization of the coordinates (3 decimals, 64 bins) can merge them.
 */
public final class MaskPolygons {
  private static final int HALVINGS = 8;

  private MaskPolygons() {}

  /**
   * Simplification options.
   *
   * @param eps Douglas-Peucker tolerance as a fraction of the contour's arc length (0 keeps every corner)
   * @param maxVertices most vertices per polygon (at least 3), or {@link Integer#MAX_VALUE} for no limit
   * @param maxComponents most polygons returned, largest components first
   * @param minArea components with fewer pixels than this are dropped (at least 1)
   */
  public record Options(double eps, int maxVertices, int maxComponents, int minArea) {
    /** Default tolerance: 0.3% of the arc length (DUTS-TR slice: median IoU about 0.97, about 36 vertices per polygon; see {@code bench-geometry}). */
    public static final double DEFAULT_EPS = 0.003;
    /** Default smallest kept component, in pixels. */
    public static final int DEFAULT_MIN_AREA = 10;

    public Options {
      if (!(eps >= 0) || Double.isInfinite(eps)) {
        throw new IllegalArgumentException("eps must be finite and >= 0: " + eps);
      }
      if (maxVertices < 3) {
        throw new IllegalArgumentException("maxVertices must be >= 3: " + maxVertices);
      }
      if (maxComponents < 1) {
        throw new IllegalArgumentException("maxComponents must be >= 1: " + maxComponents);
      }
      if (minArea < 1) {
        throw new IllegalArgumentException("minArea must be >= 1: " + minArea);
      }
    }

    /** eps 0.003, no vertex or component limit, components under 10 pixels dropped. */
    public static Options defaults() {
      return new Options(DEFAULT_EPS, Integer.MAX_VALUE, Integer.MAX_VALUE, DEFAULT_MIN_AREA);
    }

    public Options withEps(double value) {
      return new Options(value, maxVertices, maxComponents, minArea);
    }

    public Options withMaxVertices(int value) {
      return new Options(eps, value, maxComponents, minArea);
    }

    public Options withMaxComponents(int value) {
      return new Options(eps, maxVertices, value, minArea);
    }

    public Options withMinArea(int value) {
      return new Options(eps, maxVertices, maxComponents, value);
    }
  }

  /** Polygons of {@code mask} with {@link Options#defaults()}. */
  public static List<Polygon> polygons(Mask mask) {
    return polygons(mask, Options.defaults());
  }

  /** One polygon per kept 8-connected component, largest area first (ties: first pixel in raster order). */
  public static List<Polygon> polygons(Mask mask, Options options) {
    Objects.requireNonNull(mask, "mask");
    Objects.requireNonNull(options, "options");
    ContourTracer.Components comps = ContourTracer.label(mask);
    Integer[] order = new Integer[comps.count()];
    int kept = 0;
    for (int label = 1; label <= comps.count(); label++) {
      if (comps.area()[label] >= options.minArea()) {
        order[kept++] = label;
      }
    }
    Integer[] labels = Arrays.copyOf(order, kept);
    Arrays.sort(
        labels,
        (a, b) -> comps.area()[a] != comps.area()[b]
            ? Integer.compare(comps.area()[b], comps.area()[a])
            : Integer.compare(comps.firstPixel()[a], comps.firstPixel()[b]));
    int take = Math.min(labels.length, options.maxComponents());
    List<Polygon> out = new ArrayList<>(take);
    for (int i = 0; i < take; i++) {
      double[][] contour = ContourTracer.outerContour(mask, comps.firstPixel()[labels[i]]);
      out.add(simplify(contour[0], contour[1], mask.width(), mask.height(), options));
    }
    return out;
  }

  /** The polygon of the largest kept component, if any (e.g. one instance mask to one {@code <ins>}). */
  public static Optional<Polygon> largest(Mask mask, Options options) {
    List<Polygon> ps = polygons(mask, options.withMaxComponents(1));
    return ps.isEmpty() ? Optional.empty() : Optional.of(ps.get(0));
  }

  /**
   * Simplifies one closed clockwise contour given in pixel coordinates of a {@code width x height} image and
   * normalizes it; see the class comment for the fallbacks.
   */
  static Polygon simplify(double[] xs, double[] ys, int width, int height, Options options) {
    double arc = DouglasPeucker.arcLength(xs, ys);
    int[] keep = null;
    double eps = options.eps();
    for (int i = 0; i <= HALVINGS && eps > 0; i++, eps /= 2) {
      int[] k = DouglasPeucker.simplifyClosed(xs, ys, eps * arc);
      if (acceptable(pick(xs, ys, k, width, height))) {
        keep = k;
        break;
      }
    }
    if (keep == null) {
      keep = DouglasPeucker.simplifyClosed(xs, ys, 0); // the contour's corners: simple by construction
    }
    if (keep.length > options.maxVertices()) {
      int[] reduced = reduceKeepingSimple(xs, ys, keep, options.maxVertices());
      Polygon p = pick(xs, ys, reduced, width, height);
      return acceptable(p) ? p : trimmedHull(xs, ys, width, height, options.maxVertices());
    }
    return pick(xs, ys, keep, width, height);
  }

  /**
   * Removes vertices of the simple polygon {@code keep} (indices into the contour) until at most
   * {@code maxVertices} remain, each time the vertex whose removal changes the area least
   * (Visvalingam-Whyatt) among those whose removal keeps the polygon simple. A simple polygon always has
   * such a vertex (an ear), so this reaches the budget while staying simple and clockwise.
   */
  static int[] reduceKeepingSimple(double[] xs, double[] ys, int[] keep, int maxVertices) {
    int n = keep.length;
    double[] px = new double[n];
    double[] py = new double[n];
    for (int i = 0; i < n; i++) {
      px[i] = xs[keep[i]];
      py[i] = ys[keep[i]];
    }
    int[] prev = new int[n];
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      prev[i] = (i + n - 1) % n;
      next[i] = (i + 1) % n;
    }
    boolean[] alive = new boolean[n];
    Arrays.fill(alive, true);
    double[] cost = new double[n];
    for (int i = 0; i < n; i++) {
      cost[i] = triangleArea2(px, py, prev[i], i, next[i]);
    }
    int count = n;
    boolean[] rejected = new boolean[n];
    while (count > maxVertices && count > 3) {
      Arrays.fill(rejected, false);
      int removed = -1;
      while (removed < 0) {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (alive[i] && !rejected[i] && (best < 0 || cost[i] < cost[best])) {
            best = i;
          }
        }
        if (best < 0) {
          break; // no removable vertex: cannot happen for a simple polygon; the caller checks the result
        }
        if (canRemove(px, py, prev, next, best, count)) {
          removed = best;
        } else {
          rejected[best] = true;
        }
      }
      if (removed < 0) {
        break;
      }
      alive[removed] = false;
      int a = prev[removed];
      int b = next[removed];
      next[a] = b;
      prev[b] = a;
      count--;
      cost[a] = triangleArea2(px, py, prev[a], a, b);
      cost[b] = triangleArea2(px, py, a, b, next[b]);
    }
    int[] out = new int[count];
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (alive[i]) {
        out[c++] = keep[i];
      }
    }
    return out;
  }

  private static double triangleArea2(double[] px, double[] py, int a, int v, int b) {
    return Math.abs((px[v] - px[a]) * (py[b] - py[a]) - (py[v] - py[a]) * (px[b] - px[a]));
  }

  /** Whether replacing edges a-v, v-b by a-b keeps the polygon simple and of the same orientation. */
  private static boolean canRemove(double[] px, double[] py, int[] prev, int[] next, int v, int count) {
    int a = prev[v];
    int b = next[v];
    if (px[a] == px[b] && py[a] == py[b]) {
      return false;
    }
    if (count == 4) {
      // the remaining triangle a, b, next[b] must keep a non-zero area
      int c = next[b];
      if ((px[b] - px[a]) * (py[c] - py[a]) - (py[b] - py[a]) * (px[c] - px[a]) == 0) {
        return false;
      }
    }
    // the new edge a-b against every edge not adjacent to it: from (next[b], ..) up to (.., prev[a])
    for (int e = next[b]; next[e] != a; e = next[e]) {
      int f = next[e];
      if (PolygonChecks.segmentsTouch(px[a], py[a], px[b], py[b], px[e], py[e], px[f], py[f])) {
        return false;
      }
    }
    // the adjacent edges must not fold back onto a-b
    return !foldsBack(px, py, a, b, prev[a]) && !foldsBack(px, py, b, a, next[b]);
  }

  /** Edge s-o and edge s-t share s; true when they are collinear and point the same way (zero-width spike). */
  private static boolean foldsBack(double[] px, double[] py, int s, int t, int o) {
    double ax = px[t] - px[s];
    double ay = py[t] - py[s];
    double bx = px[o] - px[s];
    double by = py[o] - py[s];
    return ax * by - ay * bx == 0 && ax * bx + ay * by > 0;
  }

  private static boolean acceptable(Polygon p) {
    return p.size() >= 3 && p.isClockwise() && PolygonChecks.isSimple(p);
  }

  private static Polygon pick(double[] xs, double[] ys, int[] keep, int width, int height) {
    double[] px = new double[keep.length];
    double[] py = new double[keep.length];
    for (int i = 0; i < keep.length; i++) {
      px[i] = xs[keep[i]] / width;
      py[i] = ys[keep[i]] / height;
    }
    return new Polygon(px, py);
  }

  /** Convex hull (clockwise on screen), trimmed to at most {@code maxVertices} vertices, normalized. */
  static Polygon trimmedHull(double[] xs, double[] ys, int width, int height, int maxVertices) {
    int n = xs.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> xs[a] != xs[b] ? Double.compare(xs[a], xs[b]) : Double.compare(ys[a], ys[b]));
    int[] hull = new int[2 * n + 1];
    int k = 0;
    for (int i = 0; i < n; i++) { // lower chain
      while (k >= 2 && cross(xs, ys, hull[k - 2], hull[k - 1], idx[i]) <= 0) {
        k--;
      }
      hull[k++] = idx[i];
    }
    for (int i = n - 2, lower = k + 1; i >= 0; i--) { // upper chain
      while (k >= lower && cross(xs, ys, hull[k - 2], hull[k - 1], idx[i]) <= 0) {
        k--;
      }
      hull[k++] = idx[i];
    }
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < k - 1; i++) {
      pts.add(new double[] {xs[hull[i]], ys[hull[i]]});
    }
    while (pts.size() > maxVertices) {
      int m = pts.size();
      int best = 0;
      double bestArea = Double.MAX_VALUE;
      for (int i = 0; i < m; i++) {
        double[] a = pts.get((i + m - 1) % m);
        double[] b = pts.get(i);
        double[] c = pts.get((i + 1) % m);
        double area = Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
        if (area < bestArea) {
          bestArea = area;
          best = i;
        }
      }
      pts.remove(best);
    }
    double[] px = new double[pts.size()];
    double[] py = new double[pts.size()];
    for (int i = 0; i < px.length; i++) {
      px[i] = pts.get(i)[0] / width;
      py[i] = pts.get(i)[1] / height;
    }
    Polygon p = new Polygon(px, py);
    return p.isClockwise() ? p : p.reversed();
  }

  private static double cross(double[] xs, double[] ys, int o, int a, int b) {
    return (xs[a] - xs[o]) * (ys[b] - ys[o]) - (ys[a] - ys[o]) * (xs[b] - xs[o]);
  }
}
