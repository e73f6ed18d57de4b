package saliency.model.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reproduces PySODMetrics' published figures on its own test vectors (version v1_4_3). */
class SodMetricsVectorsTest {
  private static final Path ROOT = Path.of("../shared/data/metric-vectors");
  private static final double TOL = 1e-9;

  private static SodResults results;
  private static JsonObject expected;

  @BeforeAll
  static void run() throws IOException {
    if (!Files.isDirectory(ROOT)) {
      return;
    }
    expected =
        JsonParser.parseString(Files.readString(ROOT.resolve("version_performance.json")))
            .getAsJsonObject()
            .getAsJsonObject("v1_4_3");
    SodMetrics m = new SodMetrics();
    List<Path> masks;
    try (Stream<Path> s = Files.list(ROOT.resolve("masks"))) {
      masks = s.sorted().toList();
    }
    for (Path mask : masks) {
      GrayImage gt = GrayImages.read(mask);
      GrayImage pred = GrayImages.read(ROOT.resolve("preds").resolve(mask.getFileName()));
      m.add(pred, gt);
    }
    results = m.results();
  }

  private static void check(String key, double actual) {
    assumeTrue(results != null, "../shared/data/metric-vectors not found; skipping");
    assertEquals(expected.get(key).getAsDouble(), actual, TOL, key);
  }

  @Test
  void usesAllThreePairs() {
    assumeTrue(results != null, "../shared/data/metric-vectors not found; skipping");
    assertEquals(3, results.images());
  }

  @Test
  void sMeasure() {
    check("Smeasure", results == null ? 0 : results.sMeasure());
  }

  @Test
  void weightedFmeasure() {
    check("wFmeasure", results == null ? 0 : results.wFmeasure());
  }

  @Test
  void mae() {
    check("MAE", results == null ? 0 : results.mae());
  }

  @Test
  void emeasures() {
    check("adpEm", results == null ? 0 : results.adpEm());
    check("meanEm", results == null ? 0 : results.meanEm());
    check("maxEm", results == null ? 0 : results.maxEm());
  }

  @Test
  void fmeasures() {
    check("adpFm", results == null ? 0 : results.adpFm());
    check("meanFm", results == null ? 0 : results.meanFm());
    check("maxFm", results == null ? 0 : results.maxFm());
  }

  @Test
  void binaryIou() {
    check("sample_biiou", results == null ? 0 : results.iou());
  }
}
