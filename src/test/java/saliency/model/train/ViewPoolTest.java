package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import saliency.model.data.Augmentation;
import saliency.model.data.LabelledImage;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;

class ViewPoolTest {
  private static final ExampleEncoder ENC = new ExampleEncoder(TrainSettings.defaults()); // conv: pixel inputs

  private static List<LabelledImage> sources(int n) {
    List<LabelledImage> out = new ArrayList<>();
    Random rnd = new Random(5);
    int s = 96;
    for (int i = 0; i < n; i++) {
      float[] px = new float[s * s * 3];
      for (int j = 0; j < px.length; j++) {
        px[j] = rnd.nextFloat();
      }
      boolean[] bits = new boolean[s * s];
      int x0 = 10 + rnd.nextInt(30);
      int y0 = 10 + rnd.nextInt(30);
      for (int y = y0; y < y0 + 30; y++) {
        for (int x = x0; x < x0 + 25; x++) {
          bits[y * s + x] = true;
        }
      }
      out.add(new LabelledImage("im" + i, new RgbImage(s, s, px), new Mask(s, s, bits)));
    }
    return out;
  }

  @Test
  void makesTheViewsAskedForWithTargetsAndServesThemAtTheGivenShare() {
    List<LabelledImage> src = sources(6);
    ViewPool pool = ViewPool.build(ENC, src, new Augmentation.Settings(3, 0.5, 0.5, 0.4, 0.2, 64), 1);
    assertEquals(18, pool.size());
    assertTrue(pool.active());
    Prepared plain = ENC.prepareCompact(src.get(2), true);
    Random rnd = new Random(9);
    int views = 0;
    for (int i = 0; i < 2000; i++) {
      Prepared p = pool.draw(plain, rnd);
      if (p != plain) {
        views++;
        assertTrue(p.original().name().startsWith("im2#view"), p.original().name());
        assertNotNull(p.target(), "a view carries its own SFT target");
        assertEquals(ENC.size(), p.modelMask().width());
      }
    }
    assertTrue(views > 900 && views < 1100, "about half the draws are views: " + views);
    assertEquals(2000, pool.counts()[0]);
    assertEquals(views, pool.counts()[1]);
    assertTrue(pool.summary().contains("18 augmented views (3 per image"), pool.summary());
  }

  @Test
  void theMemoryBoundLowersViewsPerImage() {
    List<LabelledImage> src = sources(24);
    long perView = 4L * ENC.preparedFloats(); // 48 KiB at 64x64x3: 1.1 MiB for one view of each image
    ViewPool pool = ViewPool.build(ENC, src, new Augmentation.Settings(5, 0.5, 0.5, 0.4, 0.2, 2), 1);
    assertEquals(1, (2 * 1048576L) / (perView * 24), "room for one view per image");
    assertEquals(24, pool.size());
    assertTrue(pool.summary().contains("(1 per image"), pool.summary());
  }

  @Test
  void offOrEmptyMeansPlainDrawsOnly() {
    ViewPool pool = ViewPool.build(ENC, sources(3), Augmentation.Settings.off(), 1);
    assertEquals(0, pool.size());
    Iterator<Prepared> plain = List.of(ENC.prepareCompact(sources(1).get(0), true)).iterator();
    assertSame(plain, pool.mix(plain, 1), "an inactive pool leaves the stream as it is");
  }
}
