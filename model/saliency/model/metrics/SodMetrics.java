package saliency.model.metrics;

import java.util.Arrays;
import java.util.Objects;
import saliency.model.geometry.Mask;

/**
 * Accumulator of the salient-object metrics over a dataset, reproducing PySODMetrics (v1.4.3):
 * S-measure, weighted F-measure, MAE, adaptive/mean/max E-measure and F-measure, binary IoU.
 * Predictions are 8-bit grey maps (0..255); they are divided by 255 and min-max normalized when
 * not constant. The accumulator owns its running sums and is not thread-safe.
 */
public final class SodMetrics {
  /** alpha of the S-measure. */
  public static final double S_ALPHA = 0.5;
  /** beta of the weighted F-measure. */
  public static final double WF_BETA = 1.0;
  /** Ground-truth grey levels above this are foreground. */
  public static final int GT_THRESHOLD = 128;

  private double[] sms = new double[16];
  private double[] wfms = new double[16];
  private double[] maes = new double[16];
  private double[] adpEms = new double[16];
  private double[] adpFms = new double[16];
  private double[] ious = new double[16];
  private final double[] emCurveSum = new double[256];
  private final double[] fmCurveSum = new double[256];
  private int count;

  /**
   * Evaluates one pair without touching any accumulator (safe to call from many threads);
   * {@code pred0to255} grey levels in [0,255], {@code gt} row-major binary.
   */
  public static PairEvaluation evaluate(double[] pred0to255, boolean[] gt, int width, int height) {
    PreparedPair p = PreparedPair.of(pred0to255, gt, width, height);
    int[][] hist = p.histograms();
    long[] tps = ThresholdCurves.cumulativeFromTop(hist[0]);
    long[] fps = ThresholdCurves.cumulativeFromTop(hist[1]);
    double[] fm = ThresholdCurves.fmeasureCurve(tps, fps, p.fgCount);
    double[] em = ThresholdCurves.emeasureCurve(tps, fps, p.fgCount, p.size);
    double threshold = p.adaptiveThreshold();
    ImageScores s =
        new ImageScores(
            StructureMeasure.of(p, S_ALPHA),
            WeightedFMeasure.of(p, WF_BETA),
            mae(p),
            ThresholdCurves.adaptiveEmeasure(p, threshold),
            ThresholdCurves.adaptiveFmeasure(p, threshold),
            binaryIou(p));
    return new PairEvaluation(s, em, fm);
  }

  /** Evaluates two grey images (the ground truth thresholded at {@code > 128}). */
  public static PairEvaluation evaluate(GrayImage pred, GrayImage gt) {
    Objects.requireNonNull(pred, "pred");
    Objects.requireNonNull(gt, "gt");
    if (pred.width() != gt.width() || pred.height() != gt.height()) {
      throw new IllegalArgumentException(
          "prediction is " + pred.width() + "x" + pred.height() + " but ground truth is "
              + gt.width() + "x" + gt.height());
    }
    return evaluate(toDoubles(pred.pixels()), thresholdGt(gt.pixels()), pred.width(), pred.height());
  }

  /**
   * Adds an evaluated pair. Dataset figures depend (in the last bits) on the order of additions,
   * as PySODMetrics' do on the order of its {@code step} calls.
   */
  public ImageScores add(PairEvaluation e) {
    Objects.requireNonNull(e, "evaluation");
    ImageScores s = e.scores();
    if (count == sms.length) {
      int m = count * 2;
      sms = Arrays.copyOf(sms, m);
      wfms = Arrays.copyOf(wfms, m);
      maes = Arrays.copyOf(maes, m);
      adpEms = Arrays.copyOf(adpEms, m);
      adpFms = Arrays.copyOf(adpFms, m);
      ious = Arrays.copyOf(ious, m);
    }
    sms[count] = s.sMeasure();
    wfms[count] = s.wFmeasure();
    maes[count] = s.mae();
    adpEms[count] = s.adpEm();
    adpFms[count] = s.adpFm();
    ious[count] = s.iou();
    double[] em = e.emCurve();
    double[] fm = e.fmCurve();
    for (int k = 0; k < 256; k++) {
      emCurveSum[k] += em[k];
      fmCurveSum[k] += fm[k];
    }
    count++;
    return s;
  }

  /** Adds one pair; {@code pred0to255} grey levels in [0,255], {@code gt} row-major binary. */
  public ImageScores add(double[] pred0to255, boolean[] gt, int width, int height) {
    return add(evaluate(pred0to255, gt, width, height));
  }

  /** Adds one pair: an 8-bit map and a row-major binary ground truth of the same size. */
  public ImageScores add(int[] pred0to255, boolean[] gt, int width, int height) {
    return add(toDoubles(pred0to255), gt, width, height);
  }

  /** Adds one pair of 8-bit maps; the ground truth is foreground where {@code > 128}. */
  public ImageScores add(int[] pred0to255, int[] gt0to255, int width, int height) {
    Objects.requireNonNull(gt0to255, "gt");
    return add(toDoubles(pred0to255), thresholdGt(gt0to255), width, height);
  }

  /** Adds one pair with a binary ground-truth mask of the prediction's size. */
  public ImageScores add(int[] pred0to255, Mask gt) {
    Objects.requireNonNull(gt, "gt");
    return add(toDoubles(pred0to255), gt.bits(), gt.width(), gt.height());
  }

  /** Adds two grey images (the ground truth thresholded at {@code > 128}). */
  public ImageScores add(GrayImage pred, GrayImage gt) {
    return add(evaluate(pred, gt));
  }

  /** Number of pairs added. */
  public int count() {
    return count;
  }

  /** The averaged figures; NaN everywhere when no pair was added. */
  public SodResults results() {
    double[] em = new double[256];
    double[] fm = new double[256];
    double maxEm = Double.NEGATIVE_INFINITY;
    double maxFm = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < 256; k++) {
      em[k] = emCurveSum[k] / count;
      fm[k] = fmCurveSum[k] / count;
      maxEm = Math.max(maxEm, em[k]);
      maxFm = Math.max(maxFm, fm[k]);
    }
    if (count == 0) {
      maxEm = Double.NaN;
      maxFm = Double.NaN;
    }
    return new SodResults(
        NumpySums.mean(sms, count),
        NumpySums.mean(wfms, count),
        NumpySums.mean(maes, count),
        NumpySums.mean(adpEms, count),
        NumpySums.mean(em, 256),
        maxEm,
        NumpySums.mean(adpFms, count),
        NumpySums.mean(fm, 256),
        maxFm,
        NumpySums.mean(ious, count),
        count);
  }

  // ---- per-image helpers ----

  /** S-measure (alpha 0.5) of one pair, PySODMetrics' per-image value. */
  public static double sMeasure(double[] pred0to255, boolean[] gt, int width, int height) {
    return StructureMeasure.of(PreparedPair.of(pred0to255, gt, width, height), S_ALPHA);
  }

  /** S-measure (alpha 0.5) of an 8-bit map against a binary mask of its size. */
  public static double sMeasure(int[] pred0to255, Mask gt) {
    return sMeasure(toDoubles(pred0to255), gt.bits(), gt.width(), gt.height());
  }

  /** Mean absolute error of the normalized prediction, PySODMetrics' per-image value. */
  public static double mae(double[] pred0to255, boolean[] gt, int width, int height) {
    return mae(PreparedPair.of(pred0to255, gt, width, height));
  }

  /**
   * IoU of the normalized prediction binarized at {@code > 0.5} (PySODMetrics' binary IoU); 0 when
   * both are empty, as PySODMetrics' divide-by-zero guard gives.
   */
  public static double iou(double[] pred0to255, boolean[] gt, int width, int height) {
    return binaryIou(PreparedPair.of(pred0to255, gt, width, height));
  }

  /** Weighted F-measure (beta 1) of one pair; 0 for an empty ground truth. */
  public static double wFmeasure(double[] pred0to255, boolean[] gt, int width, int height) {
    return WeightedFMeasure.of(PreparedPair.of(pred0to255, gt, width, height), WF_BETA);
  }

  static double mae(PreparedPair p) {
    double[] d = new double[p.size];
    for (int i = 0; i < p.size; i++) {
      d[i] = Math.abs(p.pred[i] - (p.gt[i] ? 1.0 : 0.0));
    }
    return NumpySums.mean(d, p.size);
  }

  static double binaryIou(PreparedPair p) {
    long tp = 0;
    long fp = 0;
    for (int i = 0; i < p.size; i++) {
      if (p.pred[i] > 0.5) {
        if (p.gt[i]) {
          tp++;
        } else {
          fp++;
        }
      }
    }
    long fn = p.fgCount - tp;
    long denominator = tp + fp + fn;
    return denominator == 0 ? 0 : (double) tp / denominator;
  }

  static double[] toDoubles(int[] pred0to255) {
    Objects.requireNonNull(pred0to255, "pred");
    double[] d = new double[pred0to255.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = pred0to255[i];
    }
    return d;
  }

  static boolean[] thresholdGt(int[] gt0to255) {
    boolean[] b = new boolean[gt0to255.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = gt0to255[i] > GT_THRESHOLD;
    }
    return b;
  }
}
