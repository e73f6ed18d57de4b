package saliency.model.reward;

import java.util.List;
import java.util.Objects;

/**
 * A reward and its terms (each term in [0,1]; total = weighted sum); plain immutable data.
 *
 * @param total the weighted sum of the terms
 * @param iou mask IoU (SIS: mean matched instance IoU)
 * @param smeasure S-measure of the binary prediction
 * @param centroid centroid-distance term
 * @param format format term
 */
public record RewardBreakdown(
    double total, double iou, double smeasure, double centroid, double format) {

  /** Term-by-term mean of a non-empty list (the CoSOD group reward). */
  public static RewardBreakdown mean(List<RewardBreakdown> parts) {
    Objects.requireNonNull(parts, "parts");
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("cannot average an empty group of rewards");
    }
    double t = 0;
    double i = 0;
    double s = 0;
    double c = 0;
    double f = 0;
    for (RewardBreakdown r : parts) {
      t += r.total;
      i += r.iou;
      s += r.smeasure;
      c += r.centroid;
      f += r.format;
    }
    int n = parts.size();
    return new RewardBreakdown(t / n, i / n, s / n, c / n, f / n);
  }
}
