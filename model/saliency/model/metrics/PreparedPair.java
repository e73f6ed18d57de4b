package saliency.model.metrics;

import java.util.Objects;

/**
 * One prediction/ground-truth pair prepared as PySODMetrics' {@code prepare_data} does: the
 * prediction divided by 255 and min-max normalized when not constant, the ground truth already
 * binary. Immutable by convention; it owns its arrays.
 */
final class PreparedPair {
  /** numpy's {@code np.spacing(1)}, the epsilon PySODMetrics adds to denominators. */
  static final double EPS = Math.ulp(1.0);

  final int width;
  final int height;
  final int size;
  /** Normalized prediction in [0,1], row-major. */
  final double[] pred;
  /** Binary ground truth, row-major. */
  final boolean[] gt;
  /** Number of foreground ground-truth pixels. */
  final int fgCount;

  private PreparedPair(int width, int height, double[] pred, boolean[] gt, int fgCount) {
    this.width = width;
    this.height = height;
    this.size = width * height;
    this.pred = pred;
    this.gt = gt;
    this.fgCount = fgCount;
  }

  /**
   * Prepares a pair; {@code pred0to255} holds grey levels in [0,255] (not modified), {@code gt} is
   * copied.
   */
  static PreparedPair of(double[] pred0to255, boolean[] gt, int width, int height) {
    Objects.requireNonNull(pred0to255, "pred");
    Objects.requireNonNull(gt, "gt");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    int n = Math.multiplyExact(width, height);
    if (pred0to255.length != n) {
      throw new IllegalArgumentException(
          "prediction length " + pred0to255.length + " != " + width + "x" + height);
    }
    if (gt.length != n) {
      throw new IllegalArgumentException(
          "ground truth length " + gt.length + " != " + width + "x" + height);
    }
    double[] p = new double[n];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double v = pred0to255[i];
      if (!(v >= 0.0 && v <= 255.0)) {
        throw new IllegalArgumentException("prediction value at index " + i + " not in [0,255]: " + v);
      }
      double q = v / 255;
      p[i] = q;
      if (q < min) {
        min = q;
      }
      if (q > max) {
        max = q;
      }
    }
    if (max != min) {
      double range = max - min;
      for (int i = 0; i < n; i++) {
        p[i] = (p[i] - min) / range;
      }
    }
    int fg = 0;
    for (boolean b : gt) {
      if (b) {
        fg++;
      }
    }
    return new PreparedPair(width, height, p, gt.clone(), fg);
  }

  /** {@code np.mean(pred)}. */
  double predMean() {
    return NumpySums.mean(pred, size);
  }

  /** PySODMetrics' {@code get_adaptive_threshold}: {@code min(2 * mean, 1)}. */
  double adaptiveThreshold() {
    double t = 2 * predMean();
    return 1 < t ? 1 : t;
  }

  /** Histograms of {@code uint8(pred * 255)} over foreground ([0]) and background ([1]) pixels. */
  int[][] histograms() {
    int[] fg = new int[256];
    int[] bg = new int[256];
    for (int i = 0; i < size; i++) {
      int bin = (int) (pred[i] * 255);
      if (gt[i]) {
        fg[bin]++;
      } else {
        bg[bin]++;
      }
    }
    return new int[][] {fg, bg};
  }
}
