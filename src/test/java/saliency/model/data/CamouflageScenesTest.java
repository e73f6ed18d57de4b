package saliency.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;

/**
 * COD scenes: a camouflaged object differs from the background around it by a small colour shift, far less than a
 * salient object does, and its texture varies as much as the background's.
 */
class CamouflageScenesTest {

  @Test
  void camouflagedObjectsBlendInWhereSalientOnesStandOut() {
    SyntheticScenes.Settings base = SyntheticScenes.Settings.defaults(11L);
    SyntheticScenes salient = new SyntheticScenes(base);
    SyntheticScenes cod = new SyntheticScenes(base.withCamouflage(true));
    double salientGap = 0;
    double codGap = 0;
    int n = 60;
    int texturedLikeBackground = 0;
    for (int i = 0; i < n; i++) {
      salientGap += gap(salient.get(i));
      LabelledImage c = cod.get(i);
      double g = gap(c);
      codGap += g;
      assertTrue(g < SyntheticScenes.Settings.CAMOUFLAGE_MAX_SHIFT + 0.12, "scene " + i + " gap " + g);
      double inside = spread(c, true);
      double outside = spread(c, false);
      texturedLikeBackground += inside > 0.4 * outside && inside < 2.5 * outside + 0.01 ? 1 : 0;
      assertEquals(1, c.instances().size());
    }
    salientGap /= n;
    codGap /= n;
    assertTrue(codGap < 0.5 * salientGap, "mean colour gap: camouflaged " + codGap + ", salient " + salientGap);
    assertTrue(codGap > 0.05, "a camouflaged object is still shifted from its surroundings: " + codGap);
    assertTrue(texturedLikeBackground >= n * 0.8, texturedLikeBackground + " of " + n);
    // pure function of (settings, index)
    assertArrayEquals(cod.get(5).image().rgb(), new SyntheticScenes(base.withCamouflage(true)).get(5).image().rgb());
    assertTrue(base.withCamouflage(true).camouflage() && !base.camouflage());
  }

  /** RGB distance between the object's mean colour and the mean colour of a 3-pixel ring around it. */
  private static double gap(LabelledImage li) {
    Mask m = li.mask();
    Mask ring = ring(m, 3);
    double[] in = mean(li, m);
    double[] out = mean(li, ring);
    double s = 0;
    for (int k = 0; k < 3; k++) {
      s += (in[k] - out[k]) * (in[k] - out[k]);
    }
    return Math.sqrt(s);
  }

  /** Mean per-channel standard deviation inside the object, or over the rest of the image. */
  private static double spread(LabelledImage li, boolean inside) {
    Mask m = li.mask();
    float[] rgb = li.image().rgb();
    double total = 0;
    for (int k = 0; k < 3; k++) {
      double s = 0;
      double s2 = 0;
      int n = 0;
      for (int i = 0; i < m.width() * m.height(); i++) {
        if (m.bits()[i] == inside) {
          double v = rgb[i * 3 + k];
          s += v;
          s2 += v * v;
          n++;
        }
      }
      double mu = s / n;
      total += Math.sqrt(Math.max(0, s2 / n - mu * mu));
    }
    return total / 3;
  }

  private static Mask ring(Mask m, int r) {
    Mask out = new Mask(m.width(), m.height());
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        if (m.get(x, y)) {
          continue;
        }
        boolean near = false;
        for (int dy = -r; dy <= r && !near; dy++) {
          for (int dx = -r; dx <= r && !near; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            near = xx >= 0 && yy >= 0 && xx < m.width() && yy < m.height() && m.get(xx, yy);
          }
        }
        out.set(x, y, near);
      }
    }
    return out;
  }

  /** Mean colour of the pixels of {@code m}. */
  static double[] mean(LabelledImage li, Mask m) {
    float[] rgb = li.image().rgb();
    double[] s = new double[3];
    int n = 0;
    for (int i = 0; i < m.width() * m.height(); i++) {
      if (m.bits()[i]) {
        for (int k = 0; k < 3; k++) {
          s[k] += rgb[i * 3 + k];
        }
        n++;
      }
    }
    for (int k = 0; k < 3; k++) {
      s[k] /= Math.max(1, n);
    }
    return s;
  }
}
