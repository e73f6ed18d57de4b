package saliency.model.policy.confidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfidenceEstimatorsTest {
  static ConfidenceInput input(float... meanLogp) {
    return new ConfidenceInput(new float[0], meanLogp.length, new int[meanLogp.length], meanLogp);
  }

  @Test
  void seqProbIsExpOfMeanLogProb() {
    ConfidenceEstimator e = ConfidenceEstimators.create("seqprob", null);
    double[] c = e.confidences(input((float) Math.log(0.5), 0f, (float) Math.log(0.15)));
    assertArrayEquals(new double[] {0.5, 1.0, 0.15}, c, 1e-6);
  }

  @Test
  void calibratedFallsBackThenFitsALine() {
    CalibratedConfidence e = new CalibratedConfidence(4, 3, 0.5);
    assertArrayEquals(new double[] {0.5}, e.confidences(input(-1f)), 1e-12); // prior, nothing observed
    e.observe(new double[] {0.9, 0.7}, input(-1f, -2f));
    // 2 < minSamples 3: the mean reward 0.8
    assertArrayEquals(new double[] {0.8, 0.8}, e.confidences(input(-1f, -9f)), 1e-9);
    e.observe(new double[] {0.5, 0.3}, input(-3f, -4f));
    // (-1,.9) (-2,.7) (-3,.5) (-4,.3): r = 1.1 + 0.2 x
    double[] ab = e.fit();
    assertEquals(1.1, ab[0], 1e-9);
    assertEquals(0.2, ab[1], 1e-9);
    // x = -2.5 -> 0.6; x = 0 -> 1.1 clamped to 1; x = -10 -> -0.9 clamped to 0
    assertArrayEquals(new double[] {0.6, 1.0, 0.0}, e.confidences(input(-2.5f, 0f, -10f)), 1e-7);
    // the window of 4 slides: four new pairs with reward 0.2 replace the line
    e.observe(new double[] {0.2, 0.2, 0.2, 0.2}, input(-1f, -2f, -3f, -4f));
    assertEquals(4, e.size());
    assertArrayEquals(new double[] {0.2, 0.2}, e.confidences(input(-1f, -3f)), 1e-7);
    // equal x values: no spread, so the mean reward
    CalibratedConfidence flat = new CalibratedConfidence(8, 2, 0.5);
    flat.observe(new double[] {0.1, 0.5, 0.9}, input(-2f, -2f, -2f));
    assertArrayEquals(new double[] {0.5}, flat.confidences(input(-7f)), 1e-9);
  }

  @Test
  void calibratedSkipsNonFinitePairs() {
    CalibratedConfidence e = new CalibratedConfidence(8, 2, 0.5);
    e.observe(new double[] {Double.NaN, 0.4}, input(-1f, -1f));
    assertEquals(1, e.size());
  }

  @Test
  void factoryByName() {
    assertInstanceOf(CalibratedConfidence.class, ConfidenceEstimators.create("calibrated", null));
    assertThrows(IllegalArgumentException.class, () -> ConfidenceEstimators.create("head", null));
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> ConfidenceEstimators.create("ema", null));
    assertEquals(true, ex.getMessage().contains("ema"));
  }

  @Test
  void calibratedTakesABatchAsTheSequenceOfItsSamples() {
    java.util.Random rnd = new java.util.Random(3);
    CalibratedConfidence batch = new CalibratedConfidence(16, 4, 0.5);
    CalibratedConfidence single = new CalibratedConfidence(16, 4, 0.5);
    CalibratedConfidence allFirst = new CalibratedConfidence(16, 4, 0.5);
    boolean differsFromAllFirst = false;
    for (int round = 0; round < 5; round++) {
      int n = 8;
      float[] x = new float[n];
      double[] r = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) (-2 * rnd.nextDouble());
        r[i] = Math.min(1, Math.max(0, 1 + 0.4 * x[i] + 0.1 * rnd.nextGaussian()));
      }
      ConfidenceInput in = new ConfidenceInput(new float[0], n, new int[n], x);
      double[] b = batch.confidencesThenObserve(in, r);
      double[] a = allFirst.confidences(in);
      allFirst.observe(r, in);
      for (int i = 0; i < n; i++) {
        ConfidenceInput one = new ConfidenceInput(new float[0], 1, new int[1], new float[] {x[i]});
        assertEquals(single.confidencesThenObserve(one, new double[] {r[i]})[0], b[i], 0.0, "round " + round + " " + i);
        differsFromAllFirst |= Math.abs(a[i] - b[i]) > 1e-9;
      }
    }
    assertTrue(differsFromAllFirst, "reading all confidences before observing is a different sequence");
  }
}
