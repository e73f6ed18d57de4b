package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import saliency.model.data.LabelledImage;
import saliency.model.geometry.Mask;

/** The moving synthetic scene: small steps between frames, a mask that moves, a pure function of the index. */
class SyntheticVideoReaderTest {
  private static double[] centroid(Mask m) {
    double sx = 0;
    double sy = 0;
    int n = 0;
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        if (m.get(x, y)) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    return new double[] {sx / n, sy / n, n};
  }

  @Test
  void consecutiveFramesDifferLittleAndTheMaskMoves() {
    SyntheticVideoReader r = SyntheticVideoReader.of(60, 3);
    LabelledImage prev = r.frame(0);
    double maxDiff = 0;
    for (int i = 1; i < 60; i++) {
      LabelledImage cur = r.frame(i);
      float[] a = prev.image().rgb();
      float[] b = cur.image().rgb();
      double d = 0;
      for (int k = 0; k < a.length; k++) {
        d += Math.abs(a[k] - b[k]);
      }
      maxDiff = Math.max(maxDiff, d / a.length);
      assertFalse(cur.mask().isEmpty(), "frame " + i);
      assertTrue(prev.mask().iou(cur.mask()) > 0.7, "frame " + i + " iou " + prev.mask().iou(cur.mask()));
      prev = cur;
    }
    assertTrue(maxDiff < 0.03, "mean absolute step " + maxDiff);
    double[] c0 = centroid(r.frame(0).mask());
    double[] c40 = centroid(r.frame(40).mask());
    assertTrue(Math.hypot(c0[0] - c40[0], c0[1] - c40[1]) > 10, "the object drifts");
    assertTrue(Math.abs(c0[2] - centroid(r.frame(24).mask())[2]) / c0[2] > 0.2, "the object scales");
    assertTrue(r.frame(0).mask().iou(r.frame(40).mask()) < 0.5);
  }

  @Test
  void readsNFramesWithTheirLabelsAndParsesTheSpec() {
    SyntheticVideoReader r = SyntheticVideoReader.open("synthetic:5");
    int n = 0;
    for (var f = r.next(); f.isPresent(); f = r.next()) {
      assertEquals(n, f.get().index());
      assertEquals(SyntheticVideoReader.WIDTH, f.get().width());
      assertEquals(r.frame(n).mask(), r.label(f.get()).orElseThrow());
      n++;
    }
    assertEquals(5, n);
    assertEquals(SyntheticVideoReader.DEFAULT_FRAMES, SyntheticVideoReader.open("synthetic").size());
    assertTrue(SyntheticVideoReader.isSpec("synthetic:7"));
    assertFalse(SyntheticVideoReader.isSpec("synthetics.mp4"));
    assertThrows(IllegalArgumentException.class, () -> SyntheticVideoReader.open("synthetic:x"));
    assertThrows(IllegalArgumentException.class, () -> SyntheticVideoReader.open("synthetic:0"));
  }
}
