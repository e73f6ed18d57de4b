package saliency.model.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Edge cases of the metrics, with figures derived by hand from PySODMetrics' formulas. */
class SodMetricsEdgeCasesTest {
  private static final int W = 8;
  private static final int H = 6;
  private static final int N = W * H;

  private static int[] constant(int v) {
    int[] a = new int[N];
    Arrays.fill(a, v);
    return a;
  }

  /** Left half foreground. */
  private static int[] halfGt() {
    int[] a = new int[N];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W / 2; x++) {
        a[y * W + x] = 255;
      }
    }
    return a;
  }

  @Test
  void emptyGroundTruthAndEmptyPrediction() {
    SodMetrics m = new SodMetrics();
    ImageScores s = m.add(constant(0), constant(0), W, H);
    double ratio = (double) N / (N - 1);
    assertEquals(1.0, s.sMeasure(), 0.0); // 1 - mean(pred)
    assertEquals(0.0, s.mae(), 0.0);
    assertEquals(0.0, s.wFmeasure(), 0.0); // defined 0 for an empty ground truth
    // adaptive threshold 0: every pixel predicted foreground, no aligned background left
    assertEquals(0.0, s.adpEm(), 0.0);
    assertEquals(0.0, s.adpFm(), 0.0);
    assertEquals(0.0, s.iou(), 0.0); // PySODMetrics' 0/0 guard
    SodResults r = m.results();
    // thresholds 255..1 predict nothing (E = N/(N-1)), threshold 0 predicts everything (E = 0)
    assertEquals(ratio, r.maxEm(), 1e-15);
    assertEquals(255.0 / 256 * ratio, r.meanEm(), 1e-15);
    assertEquals(0.0, r.maxFm(), 0.0);
  }

  @Test
  void fullGroundTruthAndFullPrediction() {
    ImageScores s = new SodMetrics().add(constant(255), constant(255), W, H);
    assertEquals(1.0, s.sMeasure(), 0.0); // mean(pred) with pred constant 1
    assertEquals(0.0, s.mae(), 0.0);
    assertEquals(1.0, s.wFmeasure(), 1e-15);
    assertEquals((double) N / (N - 1), s.adpEm(), 1e-15);
    assertEquals(1.0, s.adpFm(), 1e-15);
    assertEquals(1.0, s.iou(), 0.0);
  }

  @Test
  void fullGroundTruthAndEmptyPrediction() {
    ImageScores s = new SodMetrics().add(constant(0), constant(255), W, H);
    assertEquals(0.0, s.sMeasure(), 0.0);
    assertEquals(1.0, s.mae(), 0.0);
    assertEquals(0.0, s.iou(), 0.0);
  }

  @Test
  void constantPredictionIsNotNormalized() {
    ImageScores s = new SodMetrics().add(constant(128), halfGt(), W, H);
    // 128/255 everywhere: |p - 1| on half, |p| on the other half
    double p = 128.0 / 255;
    assertEquals(0.5 * (1 - p) + 0.5 * p, s.mae(), 1e-15);
    // 128/255 > 0.5: every pixel is foreground after binarization
    assertEquals(0.5, s.iou(), 0.0);
  }

  @Test
  void perfectPredictionScoresOne() {
    int[] gt = halfGt();
    ImageScores s = new SodMetrics().add(gt, gt, W, H);
    assertEquals(1.0, s.sMeasure(), 1e-12);
    assertEquals(1.0, s.wFmeasure(), 1e-12);
    assertEquals(0.0, s.mae(), 0.0);
    assertEquals(1.0, s.iou(), 0.0);
    assertEquals(1.0, s.adpFm(), 1e-12);
  }

  @Test
  void predictionIsMinMaxNormalized() {
    // levels 10 and 20 become 0 and 1: identical to a 0/255 map
    int[] gt = halfGt();
    int[] pred = new int[N];
    for (int i = 0; i < N; i++) {
      pred[i] = gt[i] > 0 ? 20 : 10;
    }
    assertEquals(0.0, SodMetrics.mae(SodMetrics.toDoubles(pred), SodMetrics.thresholdGt(gt), W, H));
  }

  @Test
  void groundTruthThresholdIsStrictlyAbove128() {
    int[] gt = constant(128);
    gt[0] = 129;
    boolean[] b = SodMetrics.thresholdGt(gt);
    assertTrue(b[0]);
    assertEquals(1, countTrue(b));
  }

  @Test
  void badInputNamesTheProblem() {
    SodMetrics m = new SodMetrics();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[3], new int[4], 2, 2));
    assertTrue(e.getMessage().contains("prediction length"), e.getMessage());
    int[] pred = constant(0);
    pred[5] = 300;
    e = assertThrows(IllegalArgumentException.class, () -> m.add(pred, constant(0), W, H));
    assertTrue(e.getMessage().contains("index 5"), e.getMessage());
    assertEquals(0, m.count());
  }

  @Test
  void datasetFiguresAreMeansOfPerImageValues() {
    SodMetrics m = new SodMetrics();
    ImageScores a = m.add(constant(0), constant(0), W, H);
    ImageScores b = m.add(constant(128), halfGt(), W, H);
    SodResults r = m.results();
    assertEquals(2, r.images());
    assertEquals((a.mae() + b.mae()) / 2, r.mae(), 1e-15);
    assertEquals((a.sMeasure() + b.sMeasure()) / 2, r.sMeasure(), 1e-15);
    assertEquals((a.iou() + b.iou()) / 2, r.iou(), 1e-15);
  }

  @Test
  void jsonHasTheTenKeys() {
    SodMetrics m = new SodMetrics();
    m.add(halfGt(), halfGt(), W, H);
    String json = m.results().toJson();
    for (String k :
        new String[] {
          "Smeasure", "wFmeasure", "MAE", "adpEm", "meanEm", "maxEm", "adpFm", "meanFm", "maxFm",
          "IoU"
        }) {
      assertTrue(json.contains("\"" + k + "\": "), json);
    }
    assertTrue(json.startsWith("{") && json.endsWith("}"));
  }

  private static int countTrue(boolean[] b) {
    int n = 0;
    for (boolean v : b) {
      if (v) {
        n++;
      }
    }
    return n;
  }
}
