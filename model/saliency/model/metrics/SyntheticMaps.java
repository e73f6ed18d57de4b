package saliency.model.metrics;

import java.util.Objects;
import java.util.Random;

/**
 * Deterministic synthetic saliency pairs for demos and benchmarks: an elliptical ground-truth
 * object and a prediction that is the same ellipse shifted, resized, blurred and lightly noised.
 * Stateless; all randomness comes from the caller's {@link Random}.
 */
public final class SyntheticMaps {
  private SyntheticMaps() {}

  /**
   * One synthetic pair.
   *
   * @param pred 8-bit saliency map
   * @param gt 0/255 ground-truth mask
   */
  public record Pair(GrayImage pred, GrayImage gt) {
    public Pair {
      Objects.requireNonNull(pred, "pred");
      Objects.requireNonNull(gt, "gt");
    }
  }

  /** An ellipse pair of {@code width x height} drawn from {@code rnd}. */
  public static Pair ellipsePair(Random rnd, int width, int height) {
    Objects.requireNonNull(rnd, "rnd");
    double cx = width * (0.3 + 0.4 * rnd.nextDouble());
    double cy = height * (0.3 + 0.4 * rnd.nextDouble());
    double rx = width * (0.1 + 0.2 * rnd.nextDouble());
    double ry = height * (0.1 + 0.2 * rnd.nextDouble());
    int[] gt = ellipse(width, height, cx, cy, rx, ry, 255);
    double shift = 0.08 * Math.min(width, height);
    double pcx = cx + shift * rnd.nextGaussian();
    double pcy = cy + shift * rnd.nextGaussian();
    double scale = 0.85 + 0.3 * rnd.nextDouble();
    int[] pred = ellipse(width, height, pcx, pcy, rx * scale, ry * scale, 230);
    int radius = 1 + rnd.nextInt(4);
    double[] blurred = boxBlur(boxBlur(toDouble(pred), width, height, radius), width, height, radius);
    int[] out = new int[blurred.length];
    for (int i = 0; i < out.length; i++) {
      double v = blurred[i] + 12 * rnd.nextGaussian();
      out[i] = (int) Math.max(0, Math.min(255, Math.round(v)));
    }
    return new Pair(new GrayImage(width, height, out), new GrayImage(width, height, gt));
  }

  private static int[] ellipse(
      int w, int h, double cx, double cy, double rx, double ry, int level) {
    int[] a = new int[w * h];
    for (int y = 0; y < h; y++) {
      double dy = (y + 0.5 - cy) / ry;
      for (int x = 0; x < w; x++) {
        double dx = (x + 0.5 - cx) / rx;
        if (dx * dx + dy * dy <= 1) {
          a[y * w + x] = level;
        }
      }
    }
    return a;
  }

  private static double[] toDouble(int[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /** Separable box blur of the given radius with clamped borders. */
  private static double[] boxBlur(double[] in, int w, int h, int r) {
    double[] tmp = new double[in.length];
    double[] out = new double[in.length];
    int k = 2 * r + 1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int d = -r; d <= r; d++) {
          int xx = Math.max(0, Math.min(w - 1, x + d));
          s += in[y * w + xx];
        }
        tmp[y * w + x] = s / k;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int d = -r; d <= r; d++) {
          int yy = Math.max(0, Math.min(h - 1, y + d));
          s += tmp[yy * w + x];
        }
        out[y * w + x] = s / k;
      }
    }
    return out;
  }
}
