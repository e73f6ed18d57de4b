package saliency.model.metrics.instance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.reward.InstanceRewards;

/**
 * Accumulates salient-instance (SIS) figures over a dataset, image by image: COCO-style instance AP and the mean
 * matched IoU; owns the match records of every prediction added (not thread-safe).
 *
 * <p>AP follows pycocotools' {@code COCOeval} for one category, area range "all", at most
 * {@value #MAX_DETECTIONS} predictions per image (the highest-ranked): in each image the predictions, in confidence
 * order, are matched greedily to the unmatched ground-truth instance of highest IoU that reaches the threshold
 * (ties to the later instance, as COCO does); then the predictions of the whole dataset are ranked by confidence
 * (ties: by image name, then by order within the image, like COCO's stable sort over image ids), precision
 * {@code tp / (tp + fp + ulp(1))} is made non-increasing from the right, and AP is the mean of the precision at the
 * 101 recall points 0, 0.01, ..., 1 (COCO's 101-point interpolation, not the PASCAL VOC 11-point or all-point
 * area). AP50 is that at IoU 0.5, AP the mean over the ten IoU thresholds 0.50, 0.55, ..., 0.95 (computed as
 * numpy's {@code linspace}). IoU here is COCO's mask IoU: intersection over union, 0 when both are empty. Both are
 * NaN when the dataset holds no ground-truth instance (COCO reports -1).
 *
 * <p>Mean matched IoU: per image, {@link InstanceRewards#meanMatchedIou(double[][], int)} over all predictions
 * (Hungarian matching on IoU, the mean over {@code max(#pred, #gt)} slots, 1 for an image with neither), averaged
 * over images; it ignores confidences.
 */
public final class InstanceMetrics {
  /** Most predictions per image that AP counts (COCO's {@code maxDets}). */
  public static final int MAX_DETECTIONS = 100;

  static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
  static final double[] RECALL_POINTS = linspace(0.0, 1.0, 101);

  /** One ranked prediction: its confidence, image, rank within the image and whether it matched, per threshold. */
  private record Detection(double confidence, String image, int rank, boolean[] matched) {}

  private final List<Detection> detections = new ArrayList<>();
  private int images;
  private int predictions;
  private int truths;
  private double iouSum;

  /**
   * Adds one image's predicted instances with their confidences (higher ranks first; equal confidences keep the
   * list order) and its ground-truth instances; every mask the same size.
   */
  public void add(String image, List<Mask> predicted, double[] confidences, List<Mask> truth) {
    Objects.requireNonNull(predicted, "predicted");
    Objects.requireNonNull(truth, "truth");
    double[][] iou = new double[predicted.size()][truth.size()];
    for (int p = 0; p < iou.length; p++) {
      for (int g = 0; g < truth.size(); g++) {
        iou[p][g] = cocoIou(predicted.get(p), truth.get(g));
      }
    }
    add(image, iou, confidences, truth.size());
  }

  /** Adds one image given the IoU of each prediction (row) with each ground-truth instance ({@code truths} columns). */
  void add(String image, double[][] iou, double[] confidences, int truthCount) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(iou, "iou");
    Objects.requireNonNull(confidences, "confidences");
    if (confidences.length != iou.length) {
      throw new IllegalArgumentException(image + ": " + iou.length + " predictions but " + confidences.length
          + " confidences");
    }
    for (double c : confidences) {
      if (Double.isNaN(c)) {
        throw new IllegalArgumentException(image + ": a confidence is NaN");
      }
    }
    images++;
    predictions += iou.length;
    truths += truthCount;
    iouSum += InstanceRewards.meanMatchedIou(iou, truthCount);
    Integer[] order = new Integer[iou.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -confidences[i]));
    int kept = Math.min(order.length, MAX_DETECTIONS);
    boolean[][] matched = new boolean[kept][IOU_THRESHOLDS.length];
    for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
      boolean[] taken = new boolean[truthCount];
      for (int d = 0; d < kept; d++) {
        double best = Math.min(IOU_THRESHOLDS[t], 1 - 1e-10);
        int match = -1;
        for (int g = 0; g < truthCount; g++) {
          if (!taken[g] && iou[order[d]][g] >= best) {
            best = iou[order[d]][g];
            match = g;
          }
        }
        if (match >= 0) {
          taken[match] = true;
          matched[d][t] = true;
        }
      }
    }
    for (int d = 0; d < kept; d++) {
      detections.add(new Detection(confidences[order[d]], image, d, matched[d]));
    }
  }

  /** Images added so far. */
  public int count() {
    return images;
  }

  /** The figures over every image added (NaN mean matched IoU when none was). */
  public InstanceResults results() {
    List<Detection> ranked = new ArrayList<>(detections);
    ranked.sort(Comparator.comparingDouble((Detection d) -> -d.confidence())
        .thenComparing(Detection::image)
        .thenComparingInt(Detection::rank));
    double[] ap = new double[IOU_THRESHOLDS.length];
    double sum = 0;
    for (int t = 0; t < ap.length; t++) {
      ap[t] = averagePrecision(ranked, t);
      sum += ap[t];
    }
    return new InstanceResults(ap[0], sum / ap.length, images == 0 ? Double.NaN : iouSum / images, images,
        predictions, truths);
  }

  /** COCO's 101-point interpolated AP at threshold index {@code t}; NaN without ground truth. */
  private double averagePrecision(List<Detection> ranked, int t) {
    if (truths == 0) {
      return Double.NaN;
    }
    int n = ranked.size();
    double[] recall = new double[n];
    double[] precision = new double[n];
    int tp = 0;
    for (int i = 0; i < n; i++) {
      if (ranked.get(i).matched()[t]) {
        tp++;
      }
      recall[i] = (double) tp / truths;
      precision[i] = tp / (i + 1 + Math.ulp(1.0));
    }
    for (int i = n - 1; i > 0; i--) {
      precision[i - 1] = Math.max(precision[i - 1], precision[i]);
    }
    double sum = 0;
    int i = 0;
    for (double r : RECALL_POINTS) {
      while (i < n && recall[i] < r) {
        i++;
      }
      if (i == n) {
        break;
      }
      sum += precision[i];
    }
    return sum / RECALL_POINTS.length;
  }

  /** Intersection over union of two masks, 0 when both are empty (pycocotools' mask IoU). */
  static double cocoIou(Mask a, Mask b) {
    return a.isEmpty() && b.isEmpty() ? 0 : a.iou(b);
  }

  /** numpy's {@code linspace(start, stop, num)}: {@code start + i * step}, the last value exactly {@code stop}. */
  static double[] linspace(double start, double stop, int num) {
    double step = (stop - start) / (num - 1);
    double[] out = new double[num];
    for (int i = 0; i < num; i++) {
      out[i] = i * step + start;
    }
    out[num - 1] = stop;
    return out;
  }
}
