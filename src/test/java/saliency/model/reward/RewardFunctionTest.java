package saliency.model.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;

/** Weighted combination, SIS and CoSOD rewards. */
class RewardFunctionTest {
  private static final int W = 10;
  private static final int H = 10;

  private static Mask rect(int x0, int y0, int x1, int y1) {
    Mask m = new Mask(W, H);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        m.set(x, y, true);
      }
    }
    return m;
  }

  @Test
  void totalIsTheWeightedSumOfTheTerms() {
    RewardFunction f = new RewardFunction(new RewardWeights(0.5, 0.25, 0.15, 0.1));
    Mask gt = rect(2, 2, 6, 6);
    Mask pred = rect(3, 2, 7, 6);
    RewardBreakdown r = f.score(pred, gt, true);
    assertEquals(MaskRewards.iou(pred, gt), r.iou(), 0.0);
    assertEquals(MaskRewards.sMeasure(pred, gt), r.smeasure(), 0.0);
    assertEquals(MaskRewards.centroid(pred, gt), r.centroid(), 0.0);
    assertEquals(1.0, r.format(), 0.0);
    assertEquals(
        0.5 * r.iou() + 0.25 * r.smeasure() + 0.15 * r.centroid() + 0.1, r.total(), 1e-15);
  }

  @Test
  void perfectAnswerScoresTheWeightSum() {
    RewardFunction f = new RewardFunction(RewardWeights.defaults());
    Mask gt = rect(2, 2, 6, 6);
    assertEquals(1.0, f.score(gt, gt, true).total(), 1e-12);
    RewardFunction seg = new RewardFunction(RewardWeights.segR1());
    assertEquals(2.0, seg.score(gt, gt, true).total(), 1e-12);
  }

  @Test
  void unparsableCompletionWithEmptyMask() {
    RewardFunction f = new RewardFunction(RewardWeights.defaults());
    RewardBreakdown r = f.score(new Mask(W, H), rect(2, 2, 6, 6), false);
    assertEquals(0.0, r.iou(), 0.0);
    assertEquals(0.0, r.centroid(), 0.0);
    assertEquals(0.0, r.format(), 0.0);
    assertEquals(0.2 * r.smeasure(), r.total(), 1e-15);
  }

  @Test
  void sisUsesMatchedInstancesAndUnions() {
    RewardFunction f = new RewardFunction(new RewardWeights(1, 0, 0, 0));
    Mask a = rect(0, 0, 3, 3);
    Mask b = rect(5, 5, 9, 9);
    RewardBreakdown r = f.scoreInstances(List.of(b), List.of(a, b), W, H, true);
    assertEquals(0.5, r.iou(), 1e-15);
    assertEquals(0.5, r.total(), 1e-15);
    Mask union = InstanceRewards.union(List.of(a, b), W, H);
    assertEquals(MaskRewards.centroid(b, union), r.centroid(), 0.0);
  }

  @Test
  void cosodAveragesOverTheGroup() {
    RewardFunction f = new RewardFunction(RewardWeights.defaults());
    Mask gt = rect(2, 2, 6, 6);
    RewardBreakdown good = f.score(gt, gt, true);
    RewardBreakdown bad = f.score(new Mask(W, H), gt, false);
    RewardBreakdown g =
        f.scoreGroup(List.of(gt, new Mask(W, H)), List.of(gt, gt), List.of(true, false));
    assertEquals((good.total() + bad.total()) / 2, g.total(), 1e-15);
    assertEquals((good.iou() + bad.iou()) / 2, g.iou(), 1e-15);
    assertEquals(0.5, g.format(), 0.0);
    assertThrows(IllegalArgumentException.class,
        () -> f.scoreGroup(List.of(gt), List.of(gt, gt), List.of(true)));
  }

  @Test
  void weightsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new RewardWeights(-0.1, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RewardWeights(0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RewardWeights(Double.NaN, 0, 0, 1));
    RewardWeights n = RewardWeights.segR1().normalized();
    assertEquals(1.0, n.sum(), 1e-15);
    assertEquals(0.35, n.iou(), 1e-15);
  }
}
