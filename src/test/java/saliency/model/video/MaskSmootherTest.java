package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MaskSmootherTest {
  @Test
  void parsesTheSettingAndAveragesWithTheNewestFrameWeighted() {
    assertEquals(1, MaskSmoother.parseAlpha("off"));
    assertEquals(0.5, MaskSmoother.parseAlpha("ema"));
    assertEquals(0.2, MaskSmoother.parseAlpha("ema:0.2"));
    assertThrows(IllegalArgumentException.class, () -> MaskSmoother.parseAlpha("ema:0"));
    assertThrows(IllegalArgumentException.class, () -> MaskSmoother.parseAlpha("median"));
    MaskSmoother s = new MaskSmoother(0.25);
    double[] first = {1, 0};
    assertArrayEquals(new double[] {1, 0}, s.apply(2, 1, first));
    assertArrayEquals(new double[] {0.75, 0.25}, s.apply(2, 1, new double[] {0, 1}), 1e-12);
    assertArrayEquals(new double[] {1, 0}, first, "the input is not changed");
    assertArrayEquals(new double[] {0, 1}, s.apply(1, 2, new double[] {0, 1}), "a new size restarts the average");
  }
}
