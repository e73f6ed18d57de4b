package saliency.model.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;

/** The imported selfie segmentation model on a real DAVIS frame, and its size handling. */
class SelfieSegmenterTest {
  /**
   * A person segmenter on a swan: measured IoU 0.359 at threshold 0.5 (it also marks much of the bank); TensorFlow.js
   * gives the same map to a mean absolute difference of 2.5e-4 (7 of 65536 pixels flip at 0.5).
   */
  static final double IOU_FLOOR = 0.3;

  private static SelfieSegmenter segmenter;

  @BeforeAll
  static void open() throws IOException {
    segmenter = SelfieSegmenter.open(Path.of("weights"), 2);
  }

  @AfterAll
  static void close() {
    if (segmenter != null) {
      segmenter.close();
    }
  }

  @Test
  void segmentsTheBlackswanFrame() throws IOException {
    Path image = TestImages.DAVIS.resolve("images/blackswan_00000.jpg");
    Path mask = TestImages.DAVIS.resolve("masks/blackswan_00000.png");
    Assumptions.assumeTrue(Files.isRegularFile(image) && Files.isRegularFile(mask),
        "../shared/data/davis-2016 is absent; skipping the selfie segmentation check");
    RgbImage rgb = TestImages.readRgb(image);
    Mask truth = TestImages.readMask(mask);
    double[] map = segmenter.segment(rgb);
    assertEquals(rgb.width() * rgb.height(), map.length);
    double min = 1;
    double max = 0;
    boolean[] bits = new boolean[map.length];
    for (int i = 0; i < map.length; i++) {
      assertTrue(map[i] >= 0 && map[i] <= 1, "value " + map[i] + " at " + i);
      min = Math.min(min, map[i]);
      max = Math.max(max, map[i]);
      bits[i] = map[i] >= 0.5;
    }
    Mask predicted = new Mask(rgb.width(), rgb.height(), bits);
    double iou = predicted.iou(truth);
    System.out.printf("selfie on blackswan_00000: IoU@0.5 = %.4f, foreground %d px (truth %d px), range [%.3f, %.3f]%n",
        iou, predicted.count(), truth.count(), min, max);
    assertTrue(min < 0.1 && max > 0.9, "the map spans background and foreground: [" + min + ", " + max + "]");
    assertTrue(iou > IOU_FLOOR, "IoU at 0.5 vs the DAVIS mask: " + iou);
  }

  @Test
  void returnsAMapAtTheImageSizeAndRejectsBadInput() {
    RgbImage small = new RgbImage(31, 17, new float[31 * 17 * 3]);
    double[] map = segmenter.segment(small);
    assertEquals(31 * 17, map.length);
    assertThrows(IllegalArgumentException.class, () -> segmenter.segmentResized(new float[255 * 256 * 3]));
  }
}
