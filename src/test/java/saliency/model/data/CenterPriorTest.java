package saliency.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CenterPriorTest {
  @Test
  void peaksAtTheCentreAndFallsOffAsAGaussian() {
    int w = 40;
    int h = 20;
    double[] m = CenterPrior.standard().map(w, h);
    assertEquals(w * h, m.length);
    double max = 0;
    for (double v : m) {
      assertTrue(v > 0 && v <= 1, "value " + v);
      max = Math.max(max, v);
    }
    assertEquals(1.0, max, 1e-12);
    assertEquals(1.0, m[9 * w + 19], 1e-12); // pixel centres 19.5 and 9.5 sit half a pixel from the centre
    // sigma_x = 0.25 * 40 = 10 px; pixel 29 is 9.5 px from the centre, pixel 19 is 0.5 px
    assertEquals(Math.exp(-(9.5 * 9.5 - 0.5 * 0.5) / (2 * 10 * 10)), m[9 * w + 29] / m[9 * w + 19], 1e-12);
    // sigma_y = 5 px: pixel row 14 is 4.5 px from the centre, row 9 is 0.5 px
    assertEquals(Math.exp(-(4.5 * 4.5 - 0.5 * 0.5) / (2 * 5 * 5)), m[14 * w + 19] / m[9 * w + 19], 1e-12);
    // symmetric
    assertEquals(m[0], m[w * h - 1], 1e-12);
    assertEquals(m[w - 1], m[(h - 1) * w], 1e-12);
    // corners far lower than the centre: exp(-(1.95^2)/2 * 2) for the 0.25 default
    assertTrue(m[0] < 0.03, "corner " + m[0]);
  }

  @Test
  void widerSigmaIsFlatter() {
    double narrow = CenterPrior.standard().map(16, 16)[0];
    double wide = new CenterPrior(1.0).map(16, 16)[0];
    assertTrue(wide > 0.5 && wide > 10 * narrow, wide + " vs " + narrow);
    assertThrows(IllegalArgumentException.class, () -> new CenterPrior(0));
    assertThrows(IllegalArgumentException.class, () -> CenterPrior.standard().map(0, 3));
  }
}
