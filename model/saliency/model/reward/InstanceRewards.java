package saliency.model.reward;

import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Mask;

/**
 * Instance-level (SIS) reward: predicted and ground-truth instances matched one-to-one by IoU
 * with the Hungarian method; the reward is the mean IoU over {@code max(#pred, #gt)} slots, so
 * every unmatched prediction or ground truth counts 0. Stateless.
 */
public final class InstanceRewards {
  private InstanceRewards() {}

  /** Mean matched IoU in [0,1]; 1 when both lists are empty. */
  public static double meanMatchedIou(List<Mask> pred, List<Mask> gt) {
    Objects.requireNonNull(pred, "pred");
    Objects.requireNonNull(gt, "gt");
    int n = pred.size();
    int m = gt.size();
    if (n == 0 && m == 0) {
      return 1;
    }
    if (n == 0 || m == 0) {
      return 0;
    }
    double[][] iou = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        iou[i][j] = MaskRewards.iou(pred.get(i), gt.get(j));
      }
    }
    return meanMatchedIou(iou, m);
  }

  /**
   * Mean matched IoU of a prediction x ground-truth IoU matrix ({@code iou[p][g]}, {@code truths} columns), the
   * Hungarian matching as above; 1 when there are neither predictions nor ground truths.
   */
  public static double meanMatchedIou(double[][] iou, int truths) {
    Objects.requireNonNull(iou, "iou");
    int n = iou.length;
    if (n == 0 && truths == 0) {
      return 1;
    }
    if (n == 0 || truths == 0) {
      return 0;
    }
    int[] match = Assignment.maximize(iou);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      if (match[i] >= 0) {
        sum += iou[i][match[i]];
      }
    }
    return sum / Math.max(n, truths);
  }

  /** Pixel-wise union of the masks (an empty mask of the given size when the list is empty). */
  public static Mask union(List<Mask> masks, int width, int height) {
    Mask u = new Mask(width, height);
    for (Mask m : masks) {
      u.orInPlace(m);
    }
    return u;
  }
}
