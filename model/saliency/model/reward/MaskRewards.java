package saliency.model.reward;

import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.metrics.SodMetrics;

/**
 * The per-mask reward terms, each in [0,1]: IoU, S-measure of the binary prediction, centroid
 * distance, format validity. Stateless.
 */
public final class MaskRewards {
  private MaskRewards() {}

  /** Intersection over union; 1 when both masks are empty. */
  public static double iou(Mask pred, Mask gt) {
    requireSameSize(pred, gt);
    return pred.iou(gt);
  }

  /**
   * S-measure (alpha 0.5) of the prediction as a 0/255 map against the ground truth, exactly as
   * PySODMetrics computes it: 1 when both are empty, 0 for a full prediction of an empty truth.
   * Degenerate splits that PySODMetrics scores 0 (a one-pixel object, an object whose centroid
   * rounds to the last row or column) score 0 here too.
   */
  public static double sMeasure(Mask pred, Mask gt) {
    requireSameSize(pred, gt);
    boolean[] bits = pred.bits();
    double[] map = new double[bits.length];
    for (int i = 0; i < bits.length; i++) {
      map[i] = bits[i] ? 255.0 : 0.0;
    }
    double s = SodMetrics.sMeasure(map, gt.bits(), gt.width(), gt.height());
    return clamp01(s);
  }

  /**
   * {@code 1 - min(1, |c_pred - c_gt| / diagonal)} with centroids of pixel centres and the image
   * diagonal {@code sqrt(w² + h²)}; 1 when both masks are empty, 0 when exactly one is.
   */
  public static double centroid(Mask pred, Mask gt) {
    requireSameSize(pred, gt);
    double[] cp = centroidOf(pred);
    double[] cg = centroidOf(gt);
    if (cp == null && cg == null) {
      return 1;
    }
    if (cp == null || cg == null) {
      return 0;
    }
    double dx = cp[0] - cg[0];
    double dy = cp[1] - cg[1];
    double diagonal = Math.hypot(gt.width(), gt.height());
    return 1 - Math.min(1, Math.hypot(dx, dy) / diagonal);
  }

  /** 1 when the completion parsed and every polygon is valid, else 0. */
  public static double format(boolean parsedAndValid) {
    return parsedAndValid ? 1 : 0;
  }

  /** Centroid (x, y) of the pixel centres, or null for an empty mask. */
  static double[] centroidOf(Mask m) {
    int w = m.width();
    boolean[] bits = m.bits();
    long n = 0;
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < bits.length; i++) {
      if (bits[i]) {
        n++;
        sx += i % w + 0.5;
        sy += i / w + 0.5;
      }
    }
    return n == 0 ? null : new double[] {sx / n, sy / n};
  }

  static double clamp01(double v) {
    if (!(v > 0)) {
      return 0;
    }
    return Math.min(1, v);
  }

  static void requireSameSize(Mask pred, Mask gt) {
    Objects.requireNonNull(pred, "pred");
    Objects.requireNonNull(gt, "gt");
    if (pred.width() != gt.width() || pred.height() != gt.height()) {
      throw new IllegalArgumentException(
          "prediction mask is " + pred.width() + "x" + pred.height() + " but ground truth is "
              + gt.width() + "x" + gt.height());
    }
  }
}
