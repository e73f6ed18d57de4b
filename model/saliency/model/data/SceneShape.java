package saliency.model.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A shape of a synthetic scene in pixel coordinates: centre, radius, aspect (y radius / x radius), rotation and its
 * kind's parameters; an immutable value (its {@code p} array is not changed after construction).
 */
record SceneShape(SceneShape.Kind kind, double cx, double cy, double r, double aspect, double rot, double[] p) {

  /** The outline family. */
  enum Kind { ELLIPSE, STAR, BLOB, RECT }

  SceneShape {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(p, "p");
  }

  /** Random parameters of a {@code kind}: spikes and notch radius of a star, three harmonics of a blob. */
  static double[] randomParams(Kind kind, SplittableRandom rnd) {
    return switch (kind) {
      case STAR -> new double[] {5 + rnd.nextInt(4), 0.45 + 0.2 * rnd.nextDouble()};
      case BLOB -> {
        double[] p = new double[6]; // three low-frequency harmonics: amplitude, phase
        for (int k = 0; k < 3; k++) {
          p[2 * k] = (0.08 + 0.12 * rnd.nextDouble()) / (k + 1);
          p[2 * k + 1] = rnd.nextDouble() * 2 * Math.PI;
        }
        yield p;
      }
      default -> new double[0];
    };
  }

  SceneShape scaled(double f) {
    return new SceneShape(kind, cx, cy, r * f, aspect, rot, p);
  }

  SceneShape at(double x, double y) {
    return new SceneShape(kind, x, y, r, aspect, rot, p);
  }

  /** Radius of the outline in the shape's own frame at angle {@code t} (before aspect squash). */
  double radius(double t) {
    return switch (kind) {
      case BLOB -> {
        double v = 1;
        for (int k = 0; k < 3; k++) {
          v += p[2 * k] * Math.cos((k + 2) * t + p[2 * k + 1]);
        }
        yield v;
      }
      case STAR -> {
        int n = (int) p[0];
        double inner = p[1];
        double sector = 2 * Math.PI / n;
        double u = ((t % sector) + sector) % sector / sector; // 0..1 within one spike
        double tri = 1 - Math.abs(2 * u - 1); // 0 at spike tips' between, 1 mid
        // straight edges between tip (radius 1) and notch (radius inner), via polar line interpolation
        double a0 = 0;
        double a1 = sector / 2;
        double ang = tri * a1;
        double x0 = Math.cos(a0);
        double y0 = Math.sin(a0);
        double x1 = inner * Math.cos(a1);
        double y1 = inner * Math.sin(a1);
        // intersect ray at angle ang with segment (x0,y0)-(x1,y1)
        double dx = x1 - x0;
        double dy = y1 - y0;
        double denom = Math.cos(ang) * dy - Math.sin(ang) * dx;
        yield (x0 * dy - y0 * dx) / denom;
      }
      default -> 1;
    };
  }

  /** Whether pixel-space point (x, y) is inside; {@code c, s} are cos and sin of the rotation. */
  boolean contains(double x, double y, double c, double s) {
    double dx = x - cx;
    double dy = y - cy;
    double u = (dx * c + dy * s) / r;
    double v = (-dx * s + dy * c) / (r * aspect);
    if (kind == Kind.RECT) {
      return Math.abs(u) <= 1 && Math.abs(v) <= 1;
    }
    double rho = Math.hypot(u, v);
    if (kind == Kind.ELLIPSE) {
      return rho <= 1;
    }
    return rho <= radius(Math.atan2(v, u));
  }

  /** Area by numeric integration of the polar outline (exact for ellipse and rectangle). */
  double area() {
    if (kind == Kind.RECT) {
      return 4 * r * r * aspect;
    }
    if (kind == Kind.ELLIPSE) {
      return Math.PI * r * r * aspect;
    }
    int n = 720;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double rr = radius(2 * Math.PI * i / n);
      sum += rr * rr;
    }
    return 0.5 * sum * (2 * Math.PI / n) * r * r * aspect;
  }

  /** Half the axis-aligned bounding box size {x, y} in pixels (exact for ellipse and rectangle, else a bound). */
  double[] halfExtents() {
    double c = Math.abs(Math.cos(rot));
    double s = Math.abs(Math.sin(rot));
    double ax = r;
    double ay = r * aspect;
    return switch (kind) {
      case ELLIPSE -> new double[] {Math.hypot(ax * c, ay * s), Math.hypot(ax * s, ay * c)};
      case RECT -> new double[] {ax * c + ay * s, ax * s + ay * c};
      // star radius is at most 1, blob radius at most 1 + 0.2 + 0.1 + 0.067 < 1.4 (see randomParams)
      default -> new double[] {r * 1.4, r * 1.4};
    };
  }

  /** The pixels of a {@code w x h} image whose centres lie inside, row-major. */
  boolean[] rasterize(int w, int h) {
    boolean[] m = new boolean[w * h];
    double[] ext = halfExtents();
    int x0 = Math.max(0, (int) Math.floor(cx - ext[0] - 1));
    int x1 = Math.min(w - 1, (int) Math.ceil(cx + ext[0] + 1));
    int y0 = Math.max(0, (int) Math.floor(cy - ext[1] - 1));
    int y1 = Math.min(h - 1, (int) Math.ceil(cy + ext[1] + 1));
    double c = Math.cos(rot);
    double sn = Math.sin(rot);
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        m[y * w + x] = contains(x + 0.5, y + 0.5, c, sn);
      }
    }
    return m;
  }
}
