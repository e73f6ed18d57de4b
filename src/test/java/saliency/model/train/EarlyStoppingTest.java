package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  @Test
  void scoresAreDueEveryPeriodAndOnTheLastStep() {
    EarlyStopping e = new EarlyStopping(10, 2);
    assertFalse(e.due(3, false));
    assertTrue(e.due(10, false));
    assertFalse(e.due(15, false));
    assertTrue(e.due(16, true), "the last step is always scored");
    assertTrue(e.due(26, false));
  }

  @Test
  void keepsACopyOfTheBestWeightsAndStopsAfterPatienceScoresWithoutGain() {
    EarlyStopping e = new EarlyStopping(1, 2);
    assertNull(e.bestWeights());
    float[] w = {1, 2};
    assertFalse(e.record(0.5, w, 10));
    w[0] = 9; // the trainer keeps changing its array: the kept copy must not follow
    assertFalse(e.record(0.7, w, 20));
    w[0] = 5;
    assertFalse(e.record(0.6, w, 30));
    assertTrue(e.record(0.7, w, 40), "a tie is no gain: second score in a row without one stops");
    assertArrayEquals(new float[] {9, 2}, e.bestWeights());
    assertEquals(0.7, e.best());
    assertEquals(20, e.bestStep());
    assertEquals(4, e.checks());
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 1));
  }
}
