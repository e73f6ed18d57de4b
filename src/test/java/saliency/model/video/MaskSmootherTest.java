package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaskSmootherTest {
  @Test
  void parsesTheSettingAndAveragesWithTheNewestFrameWeighted() {
    assertEquals(Smoothing.OFF, Smoothing.parse("off"));
    assertEquals(new Smoothing(Smoothing.Kind.EMA, 0.5), Smoothing.parse("ema"));
    assertEquals(new Smoothing(Smoothing.Kind.EMA, 0.2), Smoothing.parse("ema:0.2"));
    assertEquals(new Smoothing(Smoothing.Kind.VERTICES, 0.5), Smoothing.parse("vertices"));
    assertEquals(new Smoothing(Smoothing.Kind.VERTICES, 0.3), Smoothing.parse("Vertices:0.3"));
    assertThrows(IllegalArgumentException.class, () -> Smoothing.parse("ema:0"));
    assertThrows(IllegalArgumentException.class, () -> Smoothing.parse("vertices:1.5"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Smoothing.parse("median"));
    assertTrue(e.getMessage().contains("median"), e.getMessage());
    MaskSmoother s = new MaskSmoother(0.25);
    double[] first = {1, 0};
    assertArrayEquals(new double[] {1, 0}, s.apply(2, 1, first));
    assertArrayEquals(new double[] {0.75, 0.25}, s.apply(2, 1, new double[] {0, 1}), 1e-12);
    assertArrayEquals(new double[] {1, 0}, first, "the input is not changed");
    assertArrayEquals(new double[] {0, 1}, s.apply(1, 2, new double[] {0, 1}), "a new size restarts the average");
  }
}
