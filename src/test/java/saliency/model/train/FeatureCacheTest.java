package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import saliency.model.data.LabelledImage;
import saliency.model.data.SyntheticScenes;
import saliency.model.image.RgbImage;
import saliency.model.tfjs.MobileNetV2Features;

class FeatureCacheTest {
  /** Features = (mean pixel, call number) repeated; counts images extracted and calls. */
  static final class FakeExtractor implements FeatureCache.Extractor {
    final int size;
    final List<String> sizesSeen = new ArrayList<>();
    int images;
    int calls;
    boolean closed;

    FakeExtractor(int size) {
      this.size = size;
    }

    @Override
    public int featureSize() {
      return size;
    }

    @Override
    public List<float[]> extract(List<RgbImage> batch) {
      calls++;
      List<float[]> out = new ArrayList<>();
      for (RgbImage img : batch) {
        images++;
        sizesSeen.add(img.width() + "x" + img.height());
        float[] f = new float[size];
        double sum = 0;
        for (float v : img.rgb()) {
          sum += v;
        }
        java.util.Arrays.fill(f, (float) (sum / img.rgb().length));
        out.add(f);
      }
      return out;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static RgbImage image(float value) {
    float[] px = new float[4 * 4 * 3];
    java.util.Arrays.fill(px, value);
    return new RgbImage(4, 4, px);
  }

  @Test
  void countsHitsAndMissesAndReturnsTheCachedArray() {
    FakeExtractor fx = new FakeExtractor(10);
    try (FeatureCache c = new FeatureCache(fx, 1 << 20, 100)) {
      float[] a = c.features("a", image(0.25f));
      float[] again = c.features("a", image(0.25f));
      assertSame(a, again);
      assertEquals(0.25f, a[0], 1e-6);
      c.features("b", image(0.5f));
      FeatureCache.Stats s = c.stats();
      assertEquals(1, s.hits());
      assertEquals(2, s.misses());
      assertEquals(2, s.entries());
      assertEquals(2 * 10 * 4, s.bytes());
      assertEquals(1 / 3.0, s.hitRate(), 1e-9);
      assertEquals(2, fx.images);
    }
    assertTrue(fx.closed, "closing the cache closes its extractor");
  }

  @Test
  void sameNameWithOtherPixelsOrSizeIsAMiss() {
    FakeExtractor fx = new FakeExtractor(3);
    try (FeatureCache c = new FeatureCache(fx, 1 << 20, 100)) {
      float[] a = c.features("scene-0", image(0.1f));
      float[] b = c.features("scene-0", image(0.9f));
      float[] px = new float[2 * 8 * 3];
      java.util.Arrays.fill(px, 0.1f);
      c.features("scene-0", new RgbImage(8, 2, px));
      assertEquals(0.1f, a[0], 1e-6);
      assertEquals(0.9f, b[0], 1e-6);
      assertEquals(3, c.stats().misses());
      assertEquals(0, c.stats().hits());
    }
  }

  @Test
  void evictsLeastRecentlyUsedByEntriesAndByBytes() {
    FakeExtractor fx = new FakeExtractor(10);
    try (FeatureCache byEntries = new FeatureCache(fx, 1 << 20, 2)) {
      byEntries.features("a", image(0.1f));
      byEntries.features("b", image(0.2f));
      byEntries.features("a", image(0.1f)); // a is now the most recent
      byEntries.features("c", image(0.3f)); // evicts b
      assertEquals(2, byEntries.stats().entries());
      assertEquals(1, byEntries.stats().evictions());
      byEntries.features("a", image(0.1f));
      assertEquals(2, byEntries.stats().hits());
      byEntries.features("b", image(0.2f));
      assertEquals(4, byEntries.stats().misses());
    }
    FakeExtractor fy = new FakeExtractor(10); // 40 bytes per entry
    try (FeatureCache byBytes = new FeatureCache(fy, 100, Integer.MAX_VALUE)) {
      for (int i = 0; i < 5; i++) {
        byBytes.features("x" + i, image(i / 10f));
        assertTrue(byBytes.stats().bytes() <= 100, "bytes " + byBytes.stats().bytes());
      }
      assertEquals(2, byBytes.stats().entries());
      assertEquals(3, byBytes.stats().evictions());
    }
    assertThrows(IllegalArgumentException.class, () -> new FeatureCache(new FakeExtractor(10), 39, 10));
    assertThrows(IllegalArgumentException.class, () -> new FeatureCache(new FakeExtractor(10), 1000, 0));
  }

  @Test
  void batchLookupExtractsOnlyTheMissesInOneCall() {
    FakeExtractor fx = new FakeExtractor(2);
    try (FeatureCache c = new FeatureCache(fx, 1 << 20, 100)) {
      c.features("a", image(0.1f));
      List<float[]> out = c.features(List.of("a", "b", "c"), List.of(image(0.1f), image(0.2f), image(0.3f)));
      assertEquals(2, fx.calls);
      assertEquals(3, fx.images);
      assertEquals(0.1f, out.get(0)[0], 1e-6);
      assertEquals(0.2f, out.get(1)[0], 1e-6);
      assertEquals(0.3f, out.get(2)[0], 1e-6);
      assertEquals(1, c.stats().hits());
      assertEquals(3, c.stats().misses());
    }
  }

  @Test
  void compactPreparationKeepsTheModelSizedCopyButFeaturesOfTheOriginal() {
    TrainSettings s =
        TrainSettings.defaults().withEncoding(TrainSettings.Encoding.mobileNet(TrainSettings.DEFAULT_FEATURE_MAP));
    FakeExtractor fx = new FakeExtractor(s.policyConfig().inputSize());
    float[] px = new float[96 * 80 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 7) / 7f;
    }
    saliency.model.geometry.Mask mask = new saliency.model.geometry.Mask(96, 80);
    for (int y = 20; y < 60; y++) {
      for (int x = 30; x < 70; x++) {
        mask.set(x, y, true);
      }
    }
    LabelledImage li = new LabelledImage("photo", new RgbImage(96, 80, px), mask);
    try (FeatureCache c = new FeatureCache(fx, 1L << 24, 10)) {
      ExampleEncoder enc = new ExampleEncoder(s, c);
      Prepared p = enc.prepareCompact(li, true);
      assertEquals(List.of("96x80"), fx.sizesSeen);
      assertEquals(s.policyConfig().inputSize(), p.input().length);
      assertEquals(64, p.original().image().width());
      assertEquals(64, p.original().mask().height());
      assertTrue(p.target() != null, "no SFT target for a square mask");
      Prepared full = enc.prepare(li, false);
      assertSame(li, full.original());
      assertSame(p.input(), full.input());
    }
  }

  @Test
  void mobileNetCacheFeedsTheEncoderWithTheFrozenMap() throws IOException {
    Path weights = Path.of("weights");
    Assumptions.assumeTrue(Files.isRegularFile(weights.resolve("mobilenet_v2_mid/model.json")),
        "MobileNetV2 weights not found under weights/ (run from the repository root)");
    String map = MobileNetV2Features.MAP_14X14X136;
    TrainSettings s =
        TrainSettings.defaults().withEncoding(TrainSettings.Encoding.mobileNet(map));
    LabelledImage scene = new SyntheticScenes(SyntheticScenes.Settings.defaults(5)).get(0);
    try (FeatureCache c = FeatureCache.mobileNetV2(weights, map, 1, 1 << 24);
        MobileNetV2Features direct = MobileNetV2Features.open(weights, map, 1)) {
      ExampleEncoder enc = new ExampleEncoder(s, c);
      Prepared p = enc.prepare(scene, true);
      assertEquals(14 * 14 * 136, p.input().length);
      assertEquals(s.policyConfig().inputSize(), p.input().length);
      assertEquals(64, p.modelMask().width());
      float[] expected = direct.extract(List.of(scene.image())).get(0).spatial();
      assertArrayEquals(expected, p.input(), 1e-4f);
      Prepared again = enc.prepareCompact(scene, false);
      assertSame(p.input(), again.input());
      assertEquals(1, c.stats().hits());
      assertEquals(1, c.stats().misses());
      assertThrows(IllegalArgumentException.class, () -> new ExampleEncoder(TrainSettings.defaults(), c),
          "conv encoder with a feature cache");
      assertThrows(IllegalArgumentException.class,
          () -> new ExampleEncoder(
              s.withEncoding(TrainSettings.Encoding.mobileNet(MobileNetV2Features.MAP_7X7X448)), c),
          "feature size mismatch");
    }
  }
}
