package saliency.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;

class SyntheticScenesTest {
  private static final int N = 200;

  @Test
  void sameSeedAndIndexGiveIdenticalScenes() {
    SyntheticScenes a = new SyntheticScenes(7);
    SyntheticScenes b = new SyntheticScenes(7);
    for (int i = 0; i < 20; i++) {
      LabelledImage x = a.next();
      LabelledImage y = b.get(i);
      assertEquals(x.name(), y.name());
      assertArrayEquals(x.image().rgb(), y.image().rgb());
      assertEquals(x.mask(), y.mask());
      assertEquals(x.instances(), y.instances());
    }
    // random access out of order gives the same scene
    assertArrayEquals(b.get(3).image().rgb(), new SyntheticScenes(7).get(3).image().rgb());
    assertNotEquals(new SyntheticScenes(8).get(3).mask(), new SyntheticScenes(7).get(3).mask());
    assertEquals(20, a.cursor());
  }

  @Test
  void masksAreNonEmptyWithinAreaBoundsAndOffTheBorder() {
    SyntheticScenes scenes = new SyntheticScenes(11);
    for (int i = 0; i < N; i++) {
      LabelledImage s = scenes.get(i);
      double frac = (double) s.mask().count() / (64 * 64);
      assertTrue(frac >= 0.05 && frac <= 0.5, s.name() + " salient area " + frac);
      assertEquals(1, s.instances().size());
      assertEquals(s.mask(), s.instances().get(0));
      for (int x = 0; x < 64; x++) {
        assertFalse(s.mask().get(x, 0) || s.mask().get(x, 63) || s.mask().get(0, x) || s.mask().get(63, x),
            s.name() + " touches the border");
      }
      for (float v : s.image().rgb()) {
        assertTrue(v >= 0f && v <= 1f, s.name() + " value " + v);
      }
    }
  }

  @Test
  void salientObjectContrastExceedsDistractorContrast() {
    SyntheticScenes scenes = new SyntheticScenes(5);
    double salientSum = 0;
    int weakSalient = 0;
    double distractorSum = 0;
    int distractorCount = 0;
    for (int i = 0; i < N; i++) {
      SyntheticScenes.Scene scene = scenes.scene(i);
      LabelledImage s = scene.labelled();
      double c = contrast(s.image(), s.mask(), s.mask());
      salientSum += c;
      if (c < 0.3) {
        weakSalient++;
      }
      for (Mask d : scene.distractors()) {
        Mask visible = d.copy();
        boolean[] bits = visible.bits();
        for (int k = 0; k < bits.length; k++) {
          bits[k] &= !s.mask().bits()[k];
        }
        if (visible.count() >= 4) {
          distractorSum += contrast(s.image(), visible, s.mask());
          distractorCount++;
        }
      }
    }
    double meanSalient = salientSum / N;
    double meanDistractor = distractorSum / distractorCount;
    assertTrue(distractorCount > N / 2, distractorCount + " distractors");
    assertTrue(meanSalient > 0.45, "mean salient contrast " + meanSalient);
    assertTrue(weakSalient <= N / 20, weakSalient + " scenes with weak salient contrast");
    assertTrue(meanDistractor < 0.15, "mean distractor contrast " + meanDistractor);
    assertTrue(meanSalient > 3 * meanDistractor, meanSalient + " vs " + meanDistractor);
    System.out.printf("synthetic contrast over %d scenes: salient %.3f, distractor %.3f (%d distractors)%n",
        N, meanSalient, meanDistractor, distractorCount);
  }

  @Test
  void severalInstancesForInstanceSegmentation() {
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(3).withSalient(1, 3));
    int[] seen = new int[4];
    for (int i = 0; i < 100; i++) {
      LabelledImage s = scenes.get(i);
      List<Mask> inst = s.instances();
      seen[inst.size()]++;
      Mask union = new Mask(64, 64);
      for (int a = 0; a < inst.size(); a++) {
        assertFalse(inst.get(a).isEmpty());
        for (int b = a + 1; b < inst.size(); b++) {
          assertEquals(0.0, inst.get(a).iou(inst.get(b)), s.name() + " instances overlap");
        }
        union.orInPlace(inst.get(a));
      }
      assertEquals(s.mask(), union);
      double frac = s.mask().count() / 4096.0;
      assertTrue(frac >= 0.05 && frac <= 0.5, s.name() + " area " + frac);
    }
    assertTrue(seen[1] > 10 && seen[2] > 10 && seen[3] > 10, java.util.Arrays.toString(seen));
  }

  @Test
  void anySizeWorks() {
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(1).withSize(96, 40));
    for (int i = 0; i < 20; i++) {
      LabelledImage s = scenes.get(i);
      assertEquals(96, s.image().width());
      assertEquals(40, s.image().height());
      double frac = s.mask().count() / (96.0 * 40);
      assertTrue(frac >= 0.05 && frac <= 0.5, s.name() + " area " + frac);
    }
    assertThrows(IllegalArgumentException.class,
        () -> SyntheticScenes.Settings.defaults(1).withSalient(0, 2));
  }

  @Test
  void contactSheetOfSixteenScenes() {
    List<LabelledImage> items = new ArrayList<>();
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(42).withSalient(1, 2));
    for (int i = 0; i < 16; i++) {
      items.add(scenes.next());
    }
    BufferedImage sheet = ContactSheet.render(items, 4, 3);
    assertEquals(4 * (64 * 3 + 2) + 2, sheet.getWidth());
    assertEquals(4 * (64 * 3 + 2) + 2, sheet.getHeight());
    String out = System.getProperty("scenes.sheet");
    if (out != null) {
      ContactSheet.write(Path.of(out), items, 4, 3);
    }
  }

  /**
   * RGB distance between the mean colour inside {@code m} and the mean colour of a 3-pixel ring around it,
   * the ring leaving out pixels of {@code exclude} (the salient mask, so a distractor is compared with the
   * background around it).
   */
  static double contrast(RgbImage img, Mask m, Mask exclude) {
    int w = img.width();
    int h = img.height();
    double[] in = new double[3];
    double[] ring = new double[3];
    int nin = 0;
    int nring = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (m.get(x, y)) {
          for (int c = 0; c < 3; c++) {
            in[c] += img.get(x, y, c);
          }
          nin++;
        } else if (!exclude.get(x, y) && near(m, x, y, 3)) {
          for (int c = 0; c < 3; c++) {
            ring[c] += img.get(x, y, c);
          }
          nring++;
        }
      }
    }
    double d = 0;
    for (int c = 0; c < 3; c++) {
      double diff = in[c] / nin - ring[c] / nring;
      d += diff * diff;
    }
    return Math.sqrt(d);
  }

  private static boolean near(Mask m, int x, int y, int r) {
    for (int dy = -r; dy <= r; dy++) {
      for (int dx = -r; dx <= r; dx++) {
        int xx = x + dx;
        int yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < m.width() && yy < m.height() && m.get(xx, yy)) {
          return true;
        }
      }
    }
    return false;
  }
}
