package saliency.model.geometry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolygonChecksTest {
  private static Polygon poly(double... xy) {
    double[] xs = new double[xy.length / 2];
    double[] ys = new double[xy.length / 2];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = xy[2 * i];
      ys[i] = xy[2 * i + 1];
    }
    return new Polygon(xs, ys);
  }

  @Test
  void clockwiseSquareInImageCoordinatesIsValid() {
    // (0,0) -> (1,0) -> (1,1) -> (0,1): right along the top, down, left along the bottom: clockwise on screen
    Polygon sq = poly(0, 0, 1, 0, 1, 1, 0, 1);
    assertTrue(sq.isClockwise());
    assertTrue(PolygonChecks.isValid(sq));
    assertFalse(PolygonChecks.isValid(sq.reversed()));
  }

  @Test
  void bowTieIsNotSimple() {
    assertFalse(PolygonChecks.isSimple(poly(0, 0, 1, 1, 1, 0, 0, 1)));
  }

  @Test
  void degenerateInputsAreInvalid() {
    assertFalse(PolygonChecks.isValid(poly(0, 0, 1, 0)));
    assertFalse(PolygonChecks.isValid(poly(0, 0, 1, 0, 1, 0, 0, 1)));
    assertFalse(PolygonChecks.isValid(poly(0, 0, 0.5, 0, 1, 0))); // zero area
    assertFalse(PolygonChecks.isSimple(poly(0, 0, 1, 0, 0.5, 0, 0.5, 1))); // edge folds back
  }
}
