package saliency.model.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A binarized copy of each real mask scores perfectly against the mask (the masks themselves carry
 * anti-aliased levels, so evaluated as predictions they are not perfect under PySODMetrics'
 * normalization).
 */
class SelfEvaluationTest {
  private static final Path MASKS = Path.of("../shared/data/duts-tr-500/masks");

  @Test
  void binarizedMasksScorePerfectly() throws IOException {
    assumeTrue(Files.isDirectory(MASKS), "../shared/data/duts-tr-500 not found; skipping");
    List<Path> files;
    try (Stream<Path> s = Files.list(MASKS)) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().limit(12).toList();
    }
    SodMetrics m = new SodMetrics();
    for (Path f : files) {
      GrayImage gt = GrayImages.read(f);
      GrayImage binary = GrayImage.of(gt.toMask(SodMetrics.GT_THRESHOLD));
      ImageScores s = m.add(binary, gt);
      assertEquals(0.0, s.mae(), 0.0, f.toString());
      assertEquals(1.0, s.iou(), 0.0, f.toString());
      assertEquals(1.0, s.sMeasure(), 1e-9, f.toString());
      assertEquals(1.0, s.wFmeasure(), 1e-9, f.toString());
    }
    SodResults r = m.results();
    assertEquals(files.size(), r.images());
    assertEquals(1.0, r.sMeasure(), 1e-9);
    assertEquals(1.0, r.maxFm(), 1e-9);
  }
}
