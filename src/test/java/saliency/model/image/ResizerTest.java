package saliency.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;

class ResizerTest {
  private static RgbImage constant(int w, int h, float v) {
    float[] rgb = new float[w * h * 3];
    java.util.Arrays.fill(rgb, v);
    return new RgbImage(w, h, rgb);
  }

  @Test
  void letterboxKeepsAspectAndPads() {
    Resizer r = Resizer.letterbox(64, 0.5f);
    Resizer.Resized out = r.resize(constant(200, 100, 1f));
    Resizer.Placement p = out.placement();
    assertEquals(new Resizer.Placement(200, 100, 64, 0, 16, 64, 32), p);
    RgbImage img = out.image();
    assertEquals(64, img.width());
    assertEquals(0.5f, img.get(10, 5, 0), 1e-6f); // padding above
    assertEquals(0.5f, img.get(10, 60, 2), 1e-6f); // padding below
    assertEquals(1f, img.get(10, 16, 1), 1e-5f); // content: constant stays constant
    assertEquals(1f, img.get(63, 47, 1), 1e-5f);
  }

  @Test
  void stretchFillsTheSquareAndPreservesConstantsAndRamps() {
    Resizer r = Resizer.stretch(8);
    float[] rgb = new float[32 * 16 * 3];
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[(y * 32 + x) * 3 + c] = (x + 0.5f) / 32f;
        }
      }
    }
    Resizer.Resized out = r.resize(new RgbImage(32, 16, rgb));
    assertEquals(new Resizer.Placement(32, 16, 8, 0, 0, 8, 8), out.placement());
    // a linear ramp stays linear in the interior: output pixel x has centre (x+0.5)/8
    for (int x = 1; x < 7; x++) {
      assertEquals((x + 0.5f) / 8f, out.image().get(x, 3, 0), 1e-5f);
    }
  }

  @Test
  void maskRoundTripThroughLetterbox() {
    Mask m = new Mask(120, 60);
    for (int y = 10; y < 40; y++) {
      for (int x = 30; x < 90; x++) {
        m.set(x, y, true);
      }
    }
    Resizer r = Resizer.letterbox(60, 0f);
    Mask small = r.resizeMask(m);
    Resizer.Placement p = r.placement(120, 60);
    assertEquals(new Resizer.Placement(120, 60, 60, 0, 15, 60, 30), p);
    // nothing in the padding
    for (int x = 0; x < 60; x++) {
      assertTrue(!small.get(x, 0) && !small.get(x, 59));
    }
    Mask back = Resizer.maskBack(small, p);
    assertEquals(120, back.width());
    assertEquals(60, back.height());
    // an axis-aligned box at an exact 2x scale comes back exactly
    assertEquals(1.0, back.iou(m), 1e-12);

    double[] soft = new double[60 * 60];
    for (int y = 0; y < 60; y++) {
      for (int x = 0; x < 60; x++) {
        soft[y * 60 + x] = small.get(x, y) ? 1 : 0;
      }
    }
    double[] softBack = Resizer.mapBack(soft, p);
    assertEquals(120 * 60, softBack.length);
    assertEquals(1.0, softBack[25 * 120 + 60], 1e-6); // inside
    assertEquals(0.0, softBack[2 * 120 + 5], 1e-6); // outside
    assertThrows(IllegalArgumentException.class, () -> Resizer.maskBack(new Mask(10, 10), p));
  }

  @Test
  void shrinkingAveragesInsteadOfAliasing() {
    // a 1-pixel checkerboard shrunk 8x must come out mid-gray, not black or white
    int n = 64;
    float[] rgb = new float[n * n * 3];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        float v = (x + y) % 2;
        for (int c = 0; c < 3; c++) {
          rgb[(y * n + x) * 3 + c] = v;
        }
      }
    }
    RgbImage out = Resizer.resizeTo(new RgbImage(n, n, rgb), 8, 8);
    for (int y = 1; y < 7; y++) {
      for (int x = 1; x < 7; x++) {
        assertEquals(0.5f, out.get(x, y, 0), 0.05f);
      }
    }
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> Resizer.stretch(0));
    assertThrows(IllegalArgumentException.class, () -> Resizer.letterbox(8, 2f));
  }

  @Test
  void threeChannelResamplingEqualsEachChannelResampledAloneBitForBit() {
    java.util.Random rnd = new java.util.Random(11);
    int[][] cases = {{854, 480, 32, 32}, {97, 61, 224, 224}, {5, 3, 5, 3}, {300, 200, 14, 9}};
    for (int[] c : cases) {
      int w = c[0];
      int h = c[1];
      float[] rgb = new float[w * h * 3];
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = rnd.nextFloat();
      }
      float[] together = Resizer.resample(rgb, w, 0, 0, w, h, 3, c[2], c[3]);
      for (int ch = 0; ch < 3; ch++) {
        float[] plane = new float[w * h];
        for (int i = 0; i < plane.length; i++) {
          plane[i] = rgb[i * 3 + ch];
        }
        float[] alone = Resizer.resample(plane, w, 0, 0, w, h, 1, c[2], c[3]);
        for (int i = 0; i < alone.length; i++) {
          org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits(alone[i]),
              Float.floatToIntBits(together[i * 3 + ch]), w + "x" + h + " -> " + c[2] + "x" + c[3] + " channel " + ch
                  + " value " + i);
        }
      }
    }
  }
}
