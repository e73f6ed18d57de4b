package saliency.model.metrics.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;

/** COCO-style instance AP and the mean matched IoU against cases worked out by hand. */
class InstanceMetricsTest {
  private static final double EPS = 1e-12;
  /** Missing half of the instances at full precision: 51 of the 101 recall points (0 .. 0.50) have precision 1. */
  private static final double HALF_RECALL = 51.0 / 101;

  /** A w x h rectangle at (x0, y0) in a 40 x 40 frame. */
  private static Mask box(int x0, int y0, int w, int h) {
    boolean[] bits = new boolean[40 * 40];
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        bits[y * 40 + x] = true;
      }
    }
    return new Mask(40, 40, bits);
  }

  @Test
  void perfectPredictionsScoreOne() {
    InstanceMetrics m = new InstanceMetrics();
    Mask a = box(0, 0, 10, 10);
    Mask b = box(20, 20, 15, 5);
    m.add("one", List.of(b, a), new double[] {0.4, 0.3}, List.of(a, b));
    m.add("two", List.of(a), new double[] {0.9}, List.of(a));
    InstanceResults r = m.results();
    assertEquals(1, r.ap50(), EPS);
    assertEquals(1, r.ap(), EPS);
    assertEquals(1, r.meanMatchedIou(), EPS);
    assertEquals(2, r.images());
    assertEquals(3, r.truths());
    assertEquals(3, r.predictions());
  }

  @Test
  void aFalsePositiveRankedLastCostsNothingRankedFirstHalves() {
    Mask gt = box(0, 0, 10, 10);
    Mask stray = box(25, 25, 10, 10);
    InstanceMetrics last = new InstanceMetrics();
    last.add("x", List.of(stray, gt), new double[] {0.2, 0.9}, List.of(gt));
    // ranked: TP (P 1, R 1), FP (P 0.5, R 1): precision 1 at every recall point
    assertEquals(1, last.results().ap50(), EPS);
    assertEquals(1, last.results().ap(), EPS);
    assertEquals(0.5, last.results().meanMatchedIou(), EPS, "one of two slots matched with IoU 1");

    InstanceMetrics first = new InstanceMetrics();
    first.add("x", List.of(stray, gt), new double[] {0.9, 0.2}, List.of(gt));
    // ranked: FP (P 0, R 0), TP (P 0.5, R 1): the envelope is 0.5 everywhere
    assertEquals(0.5, first.results().ap50(), EPS);
    assertEquals(0.5, first.results().ap(), EPS);
    assertEquals(0.5, first.results().meanMatchedIou(), EPS);
  }

  @Test
  void predictionsAreRankedAcrossTheWholeDataset() {
    Mask gt = box(0, 0, 10, 10);
    InstanceMetrics m = new InstanceMetrics();
    m.add("b", List.of(gt), new double[] {0.8}, List.of(gt));
    m.add("a", List.of(box(20, 20, 5, 5)), new double[] {0.9}, List.of());
    // the other image's false positive outranks the true positive: AP 0.5 as above
    assertEquals(0.5, m.results().ap50(), EPS);
    assertEquals(0.5, m.results().meanMatchedIou(), EPS, "image a scores 0, image b 1");

    InstanceMetrics tied = new InstanceMetrics();
    tied.add("b", List.of(gt), new double[] {1}, List.of(gt));
    tied.add("a", List.of(box(20, 20, 5, 5)), new double[] {1}, List.of());
    // equal confidences rank by image name, whatever the order of adding: a's false positive first
    assertEquals(0.5, tied.results().ap50(), EPS);
  }

  @Test
  void aMissedInstanceGivesHalfTheRecallPoints() {
    Mask a = box(0, 0, 10, 10);
    Mask b = box(20, 20, 10, 10);
    InstanceMetrics m = new InstanceMetrics();
    m.add("x", List.of(a), new double[] {0.7}, List.of(a, b));
    InstanceResults r = m.results();
    assertEquals(HALF_RECALL, r.ap50(), EPS);
    assertEquals(HALF_RECALL, r.ap(), EPS);
    assertEquals(0.5, r.meanMatchedIou(), EPS);
  }

  @Test
  void anIouBetweenThresholdsCountsAtTheLowerHalfOfThem() {
    Mask gt = box(0, 0, 10, 10);
    Mask pred = box(1, 1, 8, 9); // 72 pixels inside the 100: IoU 0.72
    InstanceMetrics m = new InstanceMetrics();
    m.add("x", List.of(pred), new double[] {0.5}, List.of(gt));
    InstanceResults r = m.results();
    assertEquals(1, r.ap50(), EPS);
    // a match at 0.50, 0.55, 0.60, 0.65, 0.70; a miss (AP 0) at 0.75 ... 0.95
    assertEquals(0.5, r.ap(), EPS);
    assertEquals(0.72, r.meanMatchedIou(), EPS);
  }

  @Test
  void noPredictionsScoreZeroAndNoTruthAtAllIsUndefined() {
    InstanceMetrics m = new InstanceMetrics();
    m.add("x", List.of(), new double[0], List.of(box(0, 0, 10, 10), box(20, 20, 5, 5)));
    InstanceResults r = m.results();
    assertEquals(0, r.ap50(), EPS);
    assertEquals(0, r.ap(), EPS);
    assertEquals(0, r.meanMatchedIou(), EPS);

    InstanceMetrics none = new InstanceMetrics();
    none.add("x", List.of(), new double[0], List.of());
    none.add("y", List.of(box(0, 0, 5, 5)), new double[] {0.3}, List.of());
    InstanceResults n = none.results();
    assertTrue(Double.isNaN(n.ap50()) && Double.isNaN(n.ap()), n.toString());
    assertEquals(0.5, n.meanMatchedIou(), EPS, "an image with neither scores 1, one with a stray prediction 0");
    assertTrue(Double.isNaN(new InstanceMetrics().results().meanMatchedIou()));
  }

  @Test
  void apMatchesGreedilyInConfidenceOrderWhileMeanIouMatchesOptimally() {
    InstanceMetrics m = new InstanceMetrics();
    // prediction 0 (ranked first) overlaps both instances, best the second; prediction 1 only the second
    m.add("x", new double[][] {{0.6, 0.7}, {0.0, 0.6}}, new double[] {0.9, 0.8}, 2);
    InstanceResults r = m.results();
    // COCO: prediction 0 takes instance 1, prediction 1 finds nothing left: TP then FP, recall 0.5
    assertEquals(HALF_RECALL, r.ap50(), EPS);
    // Hungarian: 0 -> instance 0, 1 -> instance 1, (0.6 + 0.6) / 2
    assertEquals(0.6, r.meanMatchedIou(), EPS);
  }

  @Test
  void thresholdsAreCocosLinspaces() {
    assertEquals(10, InstanceMetrics.IOU_THRESHOLDS.length);
    assertEquals(0.5, InstanceMetrics.IOU_THRESHOLDS[0]);
    assertEquals(0.75, InstanceMetrics.IOU_THRESHOLDS[5], EPS);
    assertEquals(0.95, InstanceMetrics.IOU_THRESHOLDS[9]);
    assertEquals(101, InstanceMetrics.RECALL_POINTS.length);
    assertEquals(0.5, InstanceMetrics.RECALL_POINTS[50]);
    assertEquals(1.0, InstanceMetrics.RECALL_POINTS[100]);
  }
}
