package saliency.model.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import saliency.model.geometry.Polygon;

/** Seeded generators of valid answers for property tests. */
final class RandomAnswers {
  private RandomAnswers() {}

  /**
   * A star-shaped polygon around a random centre: angles increase (clockwise on screen, y down), each within 0.4 of
   * its even slot so consecutive gaps stay below pi; hence simple and clockwise.
   */
  static Polygon starPolygon(Random rnd, int minV, int maxV) {
    int n = minV + rnd.nextInt(maxV - minV + 1);
    double cx = 0.3 + 0.4 * rnd.nextDouble();
    double cy = 0.3 + 0.4 * rnd.nextDouble();
    double phase = rnd.nextDouble() * 2 * Math.PI;
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int k = 0; k < n; k++) {
      double theta = phase + 2 * Math.PI * (k + 0.4 * rnd.nextDouble()) / n;
      double r = 0.05 + 0.25 * rnd.nextDouble();
      xs[k] = cx + r * Math.cos(theta);
      ys[k] = cy + r * Math.sin(theta);
    }
    return new Polygon(xs, ys);
  }

  static List<Polygon> polygons(Random rnd, int count, int minV, int maxV) {
    List<Polygon> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(starPolygon(rnd, minV, maxV));
    }
    return out;
  }

  static Answer.Prompt prompt(Random rnd) {
    double x1 = 0.5 * rnd.nextDouble();
    double y1 = 0.5 * rnd.nextDouble();
    double[] box = {x1, y1, x1 + 0.05 + 0.45 * rnd.nextDouble(), y1 + 0.05 + 0.45 * rnd.nextDouble()};
    int n = rnd.nextInt(6);
    List<double[]> pts = new ArrayList<>();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      pts.add(new double[] {rnd.nextDouble(), rnd.nextDouble()});
      labels[i] = rnd.nextInt(2);
    }
    return new Answer.Prompt(box, pts, labels);
  }

  /** A random region, instance or prompt answer. */
  static Answer any(Random rnd) {
    switch (rnd.nextInt(3)) {
      case 0:
        return new Answer.Region(polygons(rnd, 1 + rnd.nextInt(3), 3, 16));
      case 1:
        return new Answer.Instances(polygons(rnd, 1 + rnd.nextInt(4), 3, 12));
      default:
        return prompt(rnd);
    }
  }

  /** Largest coordinate difference between two answers of the same shape; +infinity when shapes differ. */
  static double maxDiff(Answer a, Answer b) {
    if (a.getClass() != b.getClass()) {
      return Double.POSITIVE_INFINITY;
    }
    double d = 0;
    if (a instanceof Answer.Prompt pa) {
      Answer.Prompt pb = (Answer.Prompt) b;
      if (pa.points().size() != pb.points().size() || !java.util.Arrays.equals(pa.labels(), pb.labels())) {
        return Double.POSITIVE_INFINITY;
      }
      for (int i = 0; i < 4; i++) {
        d = Math.max(d, Math.abs(pa.box()[i] - pb.box()[i]));
      }
      for (int i = 0; i < pa.points().size(); i++) {
        d = Math.max(d, Math.abs(pa.points().get(i)[0] - pb.points().get(i)[0]));
        d = Math.max(d, Math.abs(pa.points().get(i)[1] - pb.points().get(i)[1]));
      }
      return d;
    }
    List<Polygon> la = ParseResult.polygonsOf(a);
    List<Polygon> lb = ParseResult.polygonsOf(b);
    if (la.size() != lb.size()) {
      return Double.POSITIVE_INFINITY;
    }
    for (int i = 0; i < la.size(); i++) {
      Polygon p = la.get(i);
      Polygon q = lb.get(i);
      if (p.size() != q.size()) {
        return Double.POSITIVE_INFINITY;
      }
      for (int k = 0; k < p.size(); k++) {
        d = Math.max(d, Math.abs(p.x(k) - q.x(k)));
        d = Math.max(d, Math.abs(p.y(k) - q.y(k)));
      }
    }
    return d;
  }
}
