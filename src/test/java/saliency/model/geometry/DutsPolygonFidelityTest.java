package saliency.model.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import saliency.model.image.MaskPng;
import saliency.model.metrics.PolygonFidelity;

/** Polygon round trip on real salient-object masks (the DUTS-TR slice under ../shared/data). */
class DutsPolygonFidelityTest {
  private static final Path MASKS = Path.of("../shared/data/duts-tr-500/masks");
  private static List<Mask> masks;

  @BeforeAll
  static void load() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(MASKS), "no DUTS masks at " + MASKS.toAbsolutePath() + "; skipped");
    masks = new ArrayList<>();
    for (Path p : MaskPng.list(MASKS)) {
      masks.add(MaskPng.read(p));
    }
  }

  @Test
  void defaultToleranceReproducesRealMasks() {
    PolygonFidelity.Summary s = PolygonFidelity.measure(masks, MaskPolygons.Options.defaults());
    assertEquals(masks.size(), s.masks());
    assertTrue(s.median() >= 0.95, s.format());
    // the worst images have holes (ignored by design) or hairline parts; none should fall apart
    assertTrue(s.min() >= 0.80, s.format());
    assertTrue(s.p5() >= 0.90, s.format());
  }

  @Test
  void vertexBudgetsThePolicyUsesStayAccurate() {
    PolygonFidelity.Summary s24 = PolygonFidelity.measure(masks, MaskPolygons.Options.defaults().withMaxVertices(24));
    assertTrue(s24.median() >= 0.94 && s24.min() >= 0.70, s24.format());
    PolygonFidelity.Summary s16 = PolygonFidelity.measure(masks, MaskPolygons.Options.defaults().withMaxVertices(16));
    assertTrue(s16.median() >= 0.90 && s16.min() >= 0.65, s16.format());
  }

  @Test
  void everyPolygonIsAValidAnswerPolygon() {
    for (MaskPolygons.Options o :
        List.of(MaskPolygons.Options.defaults(), MaskPolygons.Options.defaults().withMaxVertices(16))) {
      for (Mask m : masks) {
        MaskPolygonsTest.assertValidAnswerPolygons(MaskPolygons.polygons(m, o), o.maxVertices());
      }
    }
  }

  @Test
  void zeroToleranceIsExactUpToHoles() {
    MaskPolygons.Options exact = MaskPolygons.Options.defaults().withEps(0).withMinArea(1);
    for (int i = 0; i < masks.size(); i += 10) {
      Mask m = masks.get(i);
      assertEquals(MaskPolygonsTest.fillHoles(m),
          PolygonRasterizer.rasterizeUnion(MaskPolygons.polygons(m, exact), m.width(), m.height()), "mask " + i);
    }
  }
}
