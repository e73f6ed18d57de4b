package saliency.model.reward;

/**
 * Weights of the reward terms in the total (settings, immutable). The total is the plain
 * weighted sum; with weights summing to 1 it stays in [0,1] like each term.
 *
 * @param iou weight of the mask IoU (for SIS: the Hungarian mean matched instance IoU)
 * @param smeasure weight of the S-measure (alpha 0.5) of the binary prediction
 * @param centroid weight of the centroid-distance term {@code 1 - min(1, |dc| / diagonal)}
 * @param format weight of the format term (1 when the completion parsed and every polygon is
 *     valid)
 */
public record RewardWeights(double iou, double smeasure, double centroid, double format) {
  public RewardWeights {
    check("iou", iou);
    check("smeasure", smeasure);
    check("centroid", centroid);
    check("format", format);
    if (iou + smeasure + centroid + format <= 0) {
      throw new IllegalArgumentException("at least one reward weight must be positive");
    }
  }

  private static void check(String name, double w) {
    if (!(w >= 0) || Double.isInfinite(w)) {
      throw new IllegalArgumentException("reward weight " + name + " must be finite and >= 0: " + w);
    }
  }

  /** Default weights, summing to 1: IoU 0.6, S-measure 0.2, centroid 0.1, format 0.1. */
  public static RewardWeights defaults() {
    return new RewardWeights(0.6, 0.2, 0.1, 0.1);
  }

  /** Seg-R1's reward {@code format + 0.7 IoU + 0.3 S-measure} (total in [0,2]). */
  public static RewardWeights segR1() {
    return new RewardWeights(0.7, 0.3, 0.0, 1.0);
  }

  /** Sum of the weights: the largest possible total. */
  public double sum() {
    return iou + smeasure + centroid + format;
  }

  /** The same proportions scaled to sum to 1. */
  public RewardWeights normalized() {
    double s = sum();
    return new RewardWeights(iou / s, smeasure / s, centroid / s, format / s);
  }
}
