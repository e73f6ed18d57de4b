package saliency.model.reward;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Mask;

/**
 * Combines the reward terms with {@link RewardWeights} for the four tasks: SOD/COD (one mask),
 * SIS (instances, Hungarian-matched), CoSOD (a group of images, averaged). Immutable; holds only
 * its weights.
 */
public final class RewardFunction {
  private final RewardWeights weights;

  public RewardFunction(RewardWeights weights) {
    this.weights = Objects.requireNonNull(weights, "weights");
  }

  public RewardWeights weights() {
    return weights;
  }

  /**
   * Reward of one predicted mask; {@code formatValid} is whether the completion parsed and every
   * polygon was valid (an unparsable completion comes with an empty mask).
   */
  public RewardBreakdown score(Mask pred, Mask gt, boolean formatValid) {
    return combine(
        MaskRewards.iou(pred, gt),
        MaskRewards.sMeasure(pred, gt),
        MaskRewards.centroid(pred, gt),
        MaskRewards.format(formatValid));
  }

  /**
   * SIS reward: the IoU term is the Hungarian mean matched instance IoU; the S-measure and
   * centroid terms compare the unions of the instances; masks are {@code width x height}.
   */
  public RewardBreakdown scoreInstances(
      List<Mask> pred, List<Mask> gt, int width, int height, boolean formatValid) {
    Mask predUnion = InstanceRewards.union(pred, width, height);
    Mask gtUnion = InstanceRewards.union(gt, width, height);
    return combine(
        InstanceRewards.meanMatchedIou(pred, gt),
        MaskRewards.sMeasure(predUnion, gtUnion),
        MaskRewards.centroid(predUnion, gtUnion),
        MaskRewards.format(formatValid));
  }

  /** CoSOD reward: per-image rewards averaged term by term over the group (lists of equal size). */
  public RewardBreakdown scoreGroup(List<Mask> pred, List<Mask> gt, List<Boolean> formatValid) {
    Objects.requireNonNull(pred, "pred");
    Objects.requireNonNull(gt, "gt");
    Objects.requireNonNull(formatValid, "formatValid");
    if (pred.size() != gt.size() || pred.size() != formatValid.size()) {
      throw new IllegalArgumentException(
          "group sizes differ: " + pred.size() + " predictions, " + gt.size()
              + " ground truths, " + formatValid.size() + " format flags");
    }
    List<RewardBreakdown> parts = new ArrayList<>(pred.size());
    for (int i = 0; i < pred.size(); i++) {
      parts.add(score(pred.get(i), gt.get(i), formatValid.get(i)));
    }
    return RewardBreakdown.mean(parts);
  }

  private RewardBreakdown combine(double iou, double smeasure, double centroid, double format) {
    double total =
        weights.iou() * iou
            + weights.smeasure() * smeasure
            + weights.centroid() * centroid
            + weights.format() * format;
    return new RewardBreakdown(total, iou, smeasure, centroid, format);
  }
}
