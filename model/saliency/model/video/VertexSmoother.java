package saliency.model.video;

import java.util.ArrayList;
import java.util.List;
import saliency.model.geometry.Mask;
import saliency.model.geometry.Polygon;
import saliency.model.geometry.PolygonRasterizer;
import saliency.model.text.Answer;
import saliency.model.text.AnswerParser;
import saliency.model.text.ParseResult;

/**
 * Temporal smoothing of a stream's polygon answers: each polygon is resampled to {@link #POINTS} points spaced evenly
 * along its outline (counter-clockwise, started where it best lines up with the same polygon in the previous frame),
 * matched to the previous frame's polygon with the nearest centroid, and averaged point by point
 * {@code s = alpha * p + (1 - alpha) * s_previous}; the averaged polygons are rasterized into the frame's map. A frame
 * whose answer has no polygons (a failed parse, a prompt answer, a baseline) keeps its own map and restarts the
 * average, as does a change of frame size. Owns its running polygons: one stream, one thread at a time.
 */
public final class VertexSmoother {
  /** Points each polygon is resampled to. */
  public static final int POINTS = 32;

  private final double alpha;
  private List<double[][]> state = List.of(); // per polygon: {xs, ys} of POINTS points
  private int width;
  private int height;

  /** A smoother with weight {@code alpha} in (0, 1] on the newest frame. */
  public VertexSmoother(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("vertex smoothing weight must be in (0, 1], got " + alpha);
    }
    this.alpha = alpha;
  }

  /**
   * The map of the frame's answer with its polygons averaged over frames ({@code width*height} values of 0 or 1), or
   * {@code map} itself when the answer has no polygons.
   *
   * @param answer the answer text as the policy wrote it (null for a baseline)
   */
  public double[] apply(int width, int height, String answer, double[] map) {
    if (map.length != width * height) {
      throw new IllegalArgumentException("map of " + map.length + " values for " + width + "x" + height);
    }
    List<Polygon> polygons = answer == null ? List.of() : polygons(AnswerParser.parse(answer));
    if (polygons.isEmpty()) {
      state = List.of();
      return map;
    }
    boolean restart = width != this.width || height != this.height;
    this.width = width;
    this.height = height;
    List<double[][]> previous = restart ? List.of() : state;
    boolean[] taken = new boolean[previous.size()];
    List<double[][]> next = new ArrayList<>(polygons.size());
    for (Polygon p : polygons) {
      double[][] cur = resample(p.isClockwise() ? p.reversed() : p);
      int match = nearest(cur, previous, taken);
      if (match < 0) {
        next.add(cur);
        continue;
      }
      taken[match] = true;
      double[][] prev = previous.get(match);
      int shift = bestShift(cur, prev);
      double[][] s = new double[2][POINTS];
      for (int i = 0; i < POINTS; i++) {
        int j = (i + shift) % POINTS;
        s[0][i] = alpha * cur[0][j] + (1 - alpha) * prev[0][i];
        s[1][i] = alpha * cur[1][j] + (1 - alpha) * prev[1][i];
      }
      next.add(s);
    }
    state = next;
    List<Polygon> smoothed = new ArrayList<>(next.size());
    for (double[][] s : next) {
      smoothed.add(new Polygon(s[0], s[1]));
    }
    Mask mask = PolygonRasterizer.rasterizeUnion(smoothed, width, height);
    boolean[] bits = mask.bits();
    double[] out = new double[bits.length];
    for (int i = 0; i < bits.length; i++) {
      out[i] = bits[i] ? 1 : 0;
    }
    return out;
  }

  /** The polygons of a parsed region or instance answer; none for anything else. */
  private static List<Polygon> polygons(ParseResult r) {
    if (r instanceof ParseResult.Parsed p && !(p.answer() instanceof Answer.Prompt)) {
      return ParseResult.polygonsOf(p.answer()).stream().filter(q -> q.size() >= 3).toList();
    }
    return List.of();
  }

  /** {@link #POINTS} points evenly spaced along the closed outline, from vertex 0. */
  static double[][] resample(Polygon p) {
    int n = p.size();
    double[] cumulative = new double[n + 1];
    for (int i = 0; i < n; i++) {
      int k = (i + 1) % n;
      cumulative[i + 1] = cumulative[i] + Math.hypot(p.x(k) - p.x(i), p.y(k) - p.y(i));
    }
    double perimeter = cumulative[n];
    double[][] out = new double[2][POINTS];
    int edge = 0;
    for (int j = 0; j < POINTS; j++) {
      double at = perimeter * j / POINTS;
      while (edge < n - 1 && cumulative[edge + 1] <= at) {
        edge++;
      }
      double length = cumulative[edge + 1] - cumulative[edge];
      double t = length > 0 ? (at - cumulative[edge]) / length : 0;
      int k = (edge + 1) % n;
      out[0][j] = p.x(edge) + t * (p.x(k) - p.x(edge));
      out[1][j] = p.y(edge) + t * (p.y(k) - p.y(edge));
    }
    return out;
  }

  /** The index of the untaken previous polygon whose centroid is nearest {@code cur}'s, -1 when none is left. */
  private static int nearest(double[][] cur, List<double[][]> previous, boolean[] taken) {
    double cx = mean(cur[0]);
    double cy = mean(cur[1]);
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    for (int i = 0; i < previous.size(); i++) {
      if (taken[i]) {
        continue;
      }
      double d = Math.hypot(mean(previous.get(i)[0]) - cx, mean(previous.get(i)[1]) - cy);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /** The cyclic shift of {@code cur}'s points that brings them closest (sum of squares) to {@code prev}'s. */
  static int bestShift(double[][] cur, double[][] prev) {
    int best = 0;
    double bestD = Double.POSITIVE_INFINITY;
    for (int shift = 0; shift < POINTS; shift++) {
      double d = 0;
      for (int i = 0; i < POINTS; i++) {
        int j = (i + shift) % POINTS;
        double dx = cur[0][j] - prev[0][i];
        double dy = cur[1][j] - prev[1][i];
        d += dx * dx + dy * dy;
      }
      if (d < bestD) {
        bestD = d;
        best = shift;
      }
    }
    return best;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
