package saliency.model.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;

/** Reward terms on hand-made masks, including empty and full masks. */
class MaskRewardsTest {
  private static final int W = 10;
  private static final int H = 8;

  private static Mask rect(int x0, int y0, int x1, int y1) {
    Mask m = new Mask(W, H);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        m.set(x, y, true);
      }
    }
    return m;
  }

  private static Mask empty() {
    return new Mask(W, H);
  }

  private static Mask full() {
    return rect(0, 0, W, H);
  }

  @Test
  void iouOfHandMadeRectangles() {
    // 4x4 and 4x4 overlapping in 2x4: 8 / (16 + 16 - 8)
    assertEquals(8.0 / 24, MaskRewards.iou(rect(0, 0, 4, 4), rect(2, 0, 6, 4)), 1e-15);
    assertEquals(1.0, MaskRewards.iou(empty(), empty()));
    assertEquals(0.0, MaskRewards.iou(empty(), rect(0, 0, 2, 2)));
    assertEquals(1.0, MaskRewards.iou(full(), full()));
  }

  @Test
  void sMeasureOfEmptyAndFullMasks() {
    assertEquals(1.0, MaskRewards.sMeasure(empty(), empty()), 0.0);
    assertEquals(0.0, MaskRewards.sMeasure(full(), empty()), 0.0);
    assertEquals(1.0, MaskRewards.sMeasure(full(), full()), 0.0);
    assertEquals(0.0, MaskRewards.sMeasure(empty(), full()), 0.0);
  }

  @Test
  void sMeasureRanksCloserPredictionsHigher() {
    Mask gt = rect(2, 2, 6, 6);
    double perfect = MaskRewards.sMeasure(gt, gt);
    double shifted = MaskRewards.sMeasure(rect(3, 2, 7, 6), gt);
    double far = MaskRewards.sMeasure(rect(6, 4, 10, 8), gt);
    assertEquals(1.0, perfect, 1e-12);
    assertTrue(perfect > shifted && shifted > far, perfect + " " + shifted + " " + far);
    assertTrue(far >= 0);
  }

  @Test
  void centroidReward() {
    Mask gt = rect(0, 0, 2, 2); // centroid (1, 1)
    Mask pred = rect(6, 4, 8, 6); // centroid (7, 5)
    double diagonal = Math.hypot(W, H);
    assertEquals(1 - Math.hypot(6, 4) / diagonal, MaskRewards.centroid(pred, gt), 1e-15);
    assertEquals(1.0, MaskRewards.centroid(gt, gt), 0.0);
    assertEquals(1.0, MaskRewards.centroid(empty(), empty()), 0.0);
    assertEquals(0.0, MaskRewards.centroid(empty(), gt), 0.0);
    assertEquals(0.0, MaskRewards.centroid(gt, empty()), 0.0);
    // opposite single-pixel corners: distance (W-1, H-1) < diagonal, still positive
    assertTrue(MaskRewards.centroid(rect(0, 0, 1, 1), rect(W - 1, H - 1, W, H)) > 0);
  }

  @Test
  void formatReward() {
    assertEquals(1.0, MaskRewards.format(true));
    assertEquals(0.0, MaskRewards.format(false));
  }

  @Test
  void sizeMismatchIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MaskRewards.iou(new Mask(3, 3), new Mask(3, 4)));
    assertTrue(e.getMessage().contains("3x3"), e.getMessage());
  }
}
