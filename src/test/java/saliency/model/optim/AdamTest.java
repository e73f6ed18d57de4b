package saliency.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdamTest {
  @Test
  void firstStepMovesEachWeightByTheLearningRateAgainstTheGradientSign() {
    // step 1: mhat = g, vhat = g^2, so the update is lr * g / (|g| + eps) ~= lr * sign(g)
    Adam adam = new Adam(Adam.Settings.defaults(0.1), 3);
    float[] w = {1f, 1f, 1f};
    adam.apply(w, new float[] {2f, -0.5f, 0f});
    assertEquals(0.9f, w[0], 1e-6);
    assertEquals(1.1f, w[1], 1e-6);
    assertEquals(1.0f, w[2], 1e-6);
    assertEquals(1, adam.step());
  }

  @Test
  void minimisesAQuadratic() {
    Adam adam = new Adam(Adam.Settings.defaults(0.05), 2);
    float[] w = {3f, -2f};
    for (int i = 0; i < 2000; i++) {
      adam.apply(w, new float[] {2 * (w[0] - 1), 2 * (w[1] + 1)});
    }
    assertEquals(1f, w[0], 1e-2);
    assertEquals(-1f, w[1], 1e-2);
  }

  @Test
  void clipsByGlobalNormAndChecksFiniteness() {
    float[] g = {3f, 4f};
    assertEquals(5.0, Adam.clipByGlobalNorm(g, 1.0), 1e-9);
    assertEquals(0.6f, g[0], 1e-6);
    assertEquals(0.8f, g[1], 1e-6);
    assertTrue(Adam.allFinite(g));
    assertFalse(Adam.allFinite(new float[] {1f, Float.NaN}));
    assertThrows(IllegalArgumentException.class, () -> new Adam(Adam.Settings.defaults(0.1), 2).apply(new float[3], new float[3]));
  }
}
