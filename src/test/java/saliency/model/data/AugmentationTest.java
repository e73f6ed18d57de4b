package saliency.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;

class AugmentationTest {
  /** A w x h image whose red channel is 1 exactly on the mask (a rectangle), green elsewhere. */
  private static LabelledImage marked(String name, int w, int h, int x0, int y0, int x1, int y1) {
    float[] px = new float[w * h * 3];
    boolean[] bits = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean in = x >= x0 && x < x1 && y >= y0 && y < y1;
        bits[y * w + x] = in;
        px[(y * w + x) * 3] = in ? 1f : 0f;
        px[(y * w + x) * 3 + 1] = in ? 0f : 0.6f;
      }
    }
    return new LabelledImage(name, new RgbImage(w, h, px), new Mask(w, h, bits));
  }

  /** Share of pixels where the mask agrees with "red above 0.5". */
  private static double agreement(LabelledImage li) {
    boolean[] b = li.mask().bits();
    float[] px = li.image().rgb();
    int same = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == (px[i * 3] > 0.5f)) {
        same++;
      }
    }
    return same / (double) b.length;
  }

  @Test
  void flipMirrorsPixelsAndMaskAlikeAndTwiceIsIdentity() {
    LabelledImage li = marked("a", 40, 30, 2, 5, 12, 20);
    LabelledImage f = Augmentation.flip(li);
    assertTrue(f.mask().get(39 - 2, 5) && !f.mask().get(2, 5));
    assertEquals(1.0, agreement(f));
    LabelledImage back = Augmentation.flip(f);
    assertArrayEquals(li.image().rgb(), back.image().rgb());
    assertEquals(li.mask(), back.mask());
  }

  @Test
  void cropKeepsTheMaskAlignedWithThePixelsAndMostOfTheObject() {
    LabelledImage li = marked("a", 64, 64, 20, 16, 44, 48);
    Random rnd = new Random(7);
    for (int i = 0; i < 30; i++) {
      LabelledImage c = Augmentation.crop(li, rnd, 0.4);
      assertEquals(64, c.mask().width());
      assertTrue(agreement(c) > 0.97, "pixels and mask stay aligned: " + agreement(c));
      assertTrue(c.mask().count() > 0);
    }
  }

  @Test
  void jitterChangesColoursWithinRangeAndNeverTheMask() {
    LabelledImage li = marked("a", 32, 32, 4, 4, 20, 20);
    LabelledImage j = Augmentation.jitter(li, new Random(3), 0.5);
    assertEquals(li.mask(), j.mask());
    boolean changed = false;
    for (int i = 0; i < j.image().rgb().length; i++) {
      float v = j.image().rgb()[i];
      assertTrue(v >= 0 && v <= 1);
      changed |= v != li.image().rgb()[i];
    }
    assertTrue(changed);
    assertTrue(li.image().rgb() != j.image().rgb(), "the source image is not modified in place");
  }

  @Test
  void copyPasteMaskIsExactlyThePastedObjectOnANearlyObjectFreeBackground() {
    LabelledImage object = marked("obj", 64, 64, 10, 10, 30, 40);
    // background: its own object in one corner, the rest object-free
    LabelledImage bg = marked("bg", 64, 64, 0, 0, 8, 8);
    Random rnd = new Random(11);
    for (int i = 0; i < 20; i++) {
      Optional<LabelledImage> cp = Augmentation.copyPaste(object, List.of(bg), rnd);
      assertTrue(cp.isPresent());
      LabelledImage li = cp.get();
      boolean[] b = li.mask().bits();
      int leftover = 0;
      for (int k = 0; k < b.length; k++) {
        boolean red = li.image().rgb()[k * 3] > 0.5f;
        assertTrue(!b[k] || red, "every masked pixel is the object's");
        leftover += !b[k] && red ? 1 : 0;
      }
      assertTrue(leftover <= 0.02 * b.length * 1.5, "the background keeps at most ~2 % of its own object: " + leftover);
      assertTrue(li.mask().count() > 0.2 * 20 * 30, "scaled by at least half per side: " + li.mask().count());
    }
  }

  @Test
  void copyPasteNeedsAnObjectAndACleanBackground() {
    LabelledImage object = marked("obj", 32, 32, 4, 4, 20, 20);
    LabelledImage full = marked("full", 32, 32, 0, 0, 32, 32); // salient everywhere: no clean crop
    assertTrue(Augmentation.copyPaste(object, List.of(full), new Random(1)).isEmpty());
    LabelledImage empty = marked("empty", 32, 32, 0, 0, 0, 0);
    assertTrue(Augmentation.copyPaste(empty, List.of(object), new Random(1)).isEmpty());
  }

  @Test
  void settingsRefuseOutOfRangeValuesNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Augmentation.Settings(2, 1.5, 0.5, 0.4, 0.2, 100));
    assertTrue(e.getMessage().contains("augment.share"), e.getMessage());
    assertTrue(!Augmentation.Settings.defaults().enabled(), "off unless asked for");
    assertTrue(Augmentation.Settings.measured().enabled());
    assertTrue(!Augmentation.Settings.off().enabled());
  }
}
