package saliency.model.geometry;

/** Validity checks for answer polygons (DESIGN §3: at least 3 vertices, clockwise, simple); stateless. */
public final class PolygonChecks {
  private PolygonChecks() {}

  /** At least 3 vertices, clockwise in image coordinates, non-zero area and no self-intersection. */
  public static boolean isValid(Polygon p) {
    return p.size() >= 3 && p.isClockwise() && isSimple(p);
  }

  /**
   * True when no two non-adjacent edges touch or cross, and no two adjacent edges overlap (O(n^2) pairs; answer polygons are small).
   */
  public static boolean isSimple(Polygon p) {
    int n = p.size();
    if (n < 3) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      int i2 = (i + 1) % n;
      if (p.x(i) == p.x(i2) && p.y(i) == p.y(i2)) {
        return false; // repeated vertex: a zero-length edge
      }
      for (int j = i + 1; j < n; j++) {
        int j2 = (j + 1) % n;
        boolean adjacent = j == i2 || i == j2;
        if (adjacent) {
          if (n > 3 && collinearOverlap(p, i, i2, j, j2)) {
            return false;
          }
          continue;
        }
        if (segmentsTouch(p.x(i), p.y(i), p.x(i2), p.y(i2), p.x(j), p.y(j), p.x(j2), p.y(j2))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Adjacent edges that fold back onto each other (the shared vertex is a spike of zero width). */
  private static boolean collinearOverlap(Polygon p, int i, int i2, int j, int j2) {
    // shared vertex s, other ends a (of edge i) and b (of edge j)
    int s;
    int a;
    int b;
    if (j == i2) {
      s = i2;
      a = i;
      b = j2;
    } else {
      s = i;
      a = i2;
      b = j;
    }
    double ax = p.x(a) - p.x(s);
    double ay = p.y(a) - p.y(s);
    double bx = p.x(b) - p.x(s);
    double by = p.y(b) - p.y(s);
    double cross = ax * by - ay * bx;
    double dot = ax * bx + ay * by;
    return cross == 0 && dot > 0;
  }

  private static int orient(double ax, double ay, double bx, double by, double cx, double cy) {
    double v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    return v > 0 ? 1 : (v < 0 ? -1 : 0);
  }

  private static boolean onSegment(double ax, double ay, double bx, double by, double px, double py) {
    return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
  }

  static boolean segmentsTouch(
      double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
    int o1 = orient(ax, ay, bx, by, cx, cy);
    int o2 = orient(ax, ay, bx, by, dx, dy);
    int o3 = orient(cx, cy, dx, dy, ax, ay);
    int o4 = orient(cx, cy, dx, dy, bx, by);
    if (o1 != o2 && o3 != o4) {
      return true;
    }
    return (o1 == 0 && onSegment(ax, ay, bx, by, cx, cy))
        || (o2 == 0 && onSegment(ax, ay, bx, by, dx, dy))
        || (o3 == 0 && onSegment(cx, cy, dx, dy, ax, ay))
        || (o4 == 0 && onSegment(cx, cy, dx, dy, bx, by));
  }
}
