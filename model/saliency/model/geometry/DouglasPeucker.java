package saliency.model.geometry;

import java.util.Objects;

/**
 * Douglas-Peucker simplification of closed contours (tolerance as an absolute distance, usually
 * {@code eps * arcLength}); stateless.
 */
public final class DouglasPeucker {
  private DouglasPeucker() {}

  /** Perimeter of the closed polyline {@code (xs[i], ys[i])}, including the closing edge. */
  public static double arcLength(double[] xs, double[] ys) {
    requireSameLength(xs, ys);
    int n = xs.length;
    double s = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double dx = xs[j] - xs[i];
      double dy = ys[j] - ys[i];
      s += Math.sqrt(dx * dx + dy * dy);
    }
    return s;
  }

  /**
   * Indices (ascending) of the vertices kept when simplifying the closed contour with {@code tolerance}:
   * every dropped vertex lies within {@code tolerance} of the segment that replaces it. The contour is
   * split at two far-apart anchors (a vertex farthest from vertex 0, then the vertex farthest from that),
   * which are always kept, and each of the two chains is simplified. Contours of fewer than 3 vertices are
   * returned whole.
   */
  public static int[] simplifyClosed(double[] xs, double[] ys, double tolerance) {
    requireSameLength(xs, ys);
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0: " + tolerance);
    }
    int n = xs.length;
    if (n < 3) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int a = farthestFrom(xs, ys, 0);
    int b = farthestFrom(xs, ys, a);
    if (a == b) {
      return new int[] {0}; // every vertex coincides
    }
    boolean[] keep = new boolean[n];
    keep[a] = true;
    keep[b] = true;
    simplifyChain(xs, ys, a, b, tolerance, keep);
    simplifyChain(xs, ys, b, a, tolerance, keep);
    int count = 0;
    for (boolean k : keep) {
      if (k) {
        count++;
      }
    }
    int[] out = new int[count];
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        out[c++] = i;
      }
    }
    return out;
  }

  private static int farthestFrom(double[] xs, double[] ys, int from) {
    int best = from;
    double bestD = -1;
    for (int i = 0; i < xs.length; i++) {
      double dx = xs[i] - xs[from];
      double dy = ys[i] - ys[from];
      double d = dx * dx + dy * dy;
      if (d > bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /** Simplifies the chain from {@code start} forward (cyclically) to {@code end}, marking kept vertices. */
  private static void simplifyChain(
      double[] xs, double[] ys, int start, int end, double tolerance, boolean[] keep) {
    int n = xs.length;
    double tol2 = tolerance * tolerance;
    // stack of (first, last) index pairs, in cyclic offsets from start
    int len = Math.floorMod(end - start, n);
    int[] stack = new int[2 * (len + 1)];
    int top = 0;
    stack[top++] = 0;
    stack[top++] = len;
    while (top > 0) {
      int last = stack[--top];
      int first = stack[--top];
      if (last - first < 2) {
        continue;
      }
      int fi = (start + first) % n;
      int li = (start + last) % n;
      double maxD = -1;
      int maxK = -1;
      for (int k = first + 1; k < last; k++) {
        int ki = (start + k) % n;
        double d = segmentDistance2(xs[ki], ys[ki], xs[fi], ys[fi], xs[li], ys[li]);
        if (d > maxD) {
          maxD = d;
          maxK = k;
        }
      }
      if (maxD > tol2) {
        keep[(start + maxK) % n] = true;
        stack[top++] = first;
        stack[top++] = maxK;
        stack[top++] = maxK;
        stack[top++] = last;
      }
    }
  }

  /** Distance from point p to the segment a-b. */
  static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
    return Math.sqrt(segmentDistance2(px, py, ax, ay, bx, by));
  }

  /** Squared distance from point p to the segment a-b. */
  static double segmentDistance2(double px, double py, double ax, double ay, double bx, double by) {
    double dx = bx - ax;
    double dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 == 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
    t = Math.max(0, Math.min(1, t));
    double ex = px - (ax + t * dx);
    double ey = py - (ay + t * dy);
    return ex * ex + ey * ey;
  }

  private static void requireSameLength(double[] xs, double[] ys) {
    Objects.requireNonNull(xs, "xs");
    Objects.requireNonNull(ys, "ys");
    if (xs.length != ys.length) {
      throw new IllegalArgumentException(
          "xs and ys differ in length: " + xs.length + " vs " + ys.length);
    }
  }
}
