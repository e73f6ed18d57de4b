package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;

class PseudoLabelsTest {
  /** An 8x4 map that is 1 on its left half. */
  private static double[] leftHalf() {
    double[] m = new double[8 * 4];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        m[y * 8 + x] = 1;
      }
    }
    return m;
  }

  @Test
  void theLabelIsTheSmoothedMaskOfThePreviousFramesAtModelResolution() {
    PseudoLabels labels = new PseudoLabels(2, 0.5);
    assertNull(labels.next(leftHalf(), 8, 4), "the first frame has no previous frames");
    Mask m = labels.next(new double[32], 8, 4);
    assertEquals(2, m.width());
    assertEquals(2, m.height());
    assertTrue(m.get(0, 0) && m.get(0, 1), "left half from the first frame");
    assertFalse(m.get(1, 0) || m.get(1, 1), "right half empty");
    // after one empty frame the left half averages 0.5: not above 0.5, so the next label is empty
    Mask faded = labels.next(new double[32], 8, 4);
    assertFalse(faded.get(0, 0));
  }

  @Test
  void refusesBadSizesAndWeights() {
    assertThrows(IllegalArgumentException.class, () -> new PseudoLabels(0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new PseudoLabels(4, 0));
    assertThrows(IllegalArgumentException.class, () -> new PseudoLabels(4, 0.5).next(new double[3], 2, 2));
  }
}
