package saliency.model.geometry;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable closed polygon with vertices in normalized image coordinates ([0,1], y down); it owns copies of its arrays.
 */
public final class Polygon {
  private final double[] xs;
  private final double[] ys;

  public Polygon(double[] xs, double[] ys) {
    Objects.requireNonNull(xs, "xs");
    Objects.requireNonNull(ys, "ys");
    if (xs.length != ys.length) {
      throw new IllegalArgumentException("xs and ys differ in length: " + xs.length + " vs " + ys.length);
    }
    this.xs = xs.clone();
    this.ys = ys.clone();
  }

  public int size() {
    return xs.length;
  }

  public double x(int i) {
    return xs[i];
  }

  public double y(int i) {
    return ys[i];
  }

  /** A copy of the x coordinates. */
  public double[] xs() {
    return xs.clone();
  }

  /** A copy of the y coordinates. */
  public double[] ys() {
    return ys.clone();
  }

  /**
   * Twice the signed area (shoelace) in image coordinates (y down): positive means clockwise on screen.
   */
  public double signedArea2() {
    double s = 0;
    int n = xs.length;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      s += xs[i] * ys[j] - xs[j] * ys[i];
    }
    return s;
  }

  /** True when the vertices run clockwise as seen on screen (image coordinates, y down). */
  public boolean isClockwise() {
    return signedArea2() > 0;
  }

  /** The same polygon with its vertex order reversed. */
  public Polygon reversed() {
    int n = xs.length;
    double[] rx = new double[n];
    double[] ry = new double[n];
    for (int i = 0; i < n; i++) {
      rx[i] = xs[n - 1 - i];
      ry[i] = ys[n - 1 - i];
    }
    return new Polygon(rx, ry);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Polygon p && Arrays.equals(p.xs, xs) && Arrays.equals(p.ys, ys);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(xs) + Arrays.hashCode(ys);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Polygon[");
    for (int i = 0; i < xs.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('[').append(xs[i]).append(',').append(ys[i]).append(']');
    }
    return sb.append(']').toString();
  }
}
