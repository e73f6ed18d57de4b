package saliency.model.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The feature transform finds a truly nearest zero pixel and breaks ties as scipy does. */
class FeatureTransformTest {

  @Test
  void nearestDistanceMatchesBruteForce() {
    Random rnd = new Random(7);
    for (int t = 0; t < 50; t++) {
      int w = 1 + rnd.nextInt(25);
      int h = 1 + rnd.nextInt(25);
      boolean[] in = new boolean[w * h];
      double p = rnd.nextDouble();
      for (int i = 0; i < in.length; i++) {
        in[i] = rnd.nextDouble() < p;
      }
      in[rnd.nextInt(in.length)] = false;
      int[] f = FeatureTransform.nearestZero(in, w, h);
      for (int i = 0; i < in.length; i++) {
        long best = Long.MAX_VALUE;
        for (int j = 0; j < in.length; j++) {
          if (!in[j]) {
            best = Math.min(best, d2(i, j, w));
          }
        }
        assertEquals(best, d2(i, f[i], w), "pixel " + i);
        if (!in[i]) {
          assertEquals(i, f[i]);
        }
      }
    }
  }

  @Test
  void tiesResolvedLikeScipy() {
    // 3x3 with zeros at the four corners: scipy's distance_transform_edt(return_indices=True)
    // gives these flat indices (checked against scipy 1.17)
    boolean[] in = {false, true, false, true, true, true, false, true, false};
    int[] f = FeatureTransform.nearestZero(in, 3, 3);
    assertArrayEquals(new int[] {0, 0, 2, 0, 0, 2, 6, 6, 8}, f);
  }

  @Test
  void noZeroPixelGivesMinusOne() {
    int[] f = FeatureTransform.nearestZero(new boolean[] {true, true}, 2, 1);
    assertArrayEquals(new int[] {-1, -1}, f);
  }

  private static long d2(int i, int j, int w) {
    long dy = i / w - j / w;
    long dx = i % w - j % w;
    return dy * dy + dx * dx;
  }
}
