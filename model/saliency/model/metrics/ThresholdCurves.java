package saliency.model.metrics;

/**
 * F-measure and E-measure of one pair at the 256 histogram thresholds and at the adaptive
 * threshold, computed as PySODMetrics' {@code Fmeasure} and {@code Emeasure} do. Stateless.
 */
final class ThresholdCurves {
  /** beta squared of the F-measure. */
  static final double BETA2 = 0.3;

  private ThresholdCurves() {}

  /**
   * Cumulative counts of pixels with {@code uint8(pred*255) >= 255 - k}, for k = 0..255 (numpy's
   * {@code cumsum(flip(hist))}).
   */
  static long[] cumulativeFromTop(int[] hist) {
    long[] c = new long[256];
    long acc = 0;
    for (int k = 0; k < 256; k++) {
      acc += hist[255 - k];
      c[k] = acc;
    }
    return c;
  }

  /** Changeable F-measure curve, index k = threshold 255 - k. */
  static double[] fmeasureCurve(long[] tps, long[] fps, int fgCount) {
    double[] out = new double[256];
    double t = Math.max(fgCount, 1);
    for (int k = 0; k < 256; k++) {
      long ps = tps[k] + fps[k];
      if (ps == 0) {
        ps = 1;
      }
      double precision = (double) tps[k] / ps;
      double recall = tps[k] / t;
      double numerator = (1 + BETA2) * precision * recall;
      double denominator = numerator == 0 ? 1 : BETA2 * precision + recall;
      out[k] = numerator / denominator;
    }
    return out;
  }

  /** Adaptive F-measure: binarize at {@code min(2*mean,1)}. */
  static double adaptiveFmeasure(PreparedPair p, double threshold) {
    long inter = 0;
    long positives = 0;
    for (int i = 0; i < p.size; i++) {
      if (p.pred[i] >= threshold) {
        positives++;
        if (p.gt[i]) {
          inter++;
        }
      }
    }
    if (inter == 0) {
      return 0;
    }
    double pre = (double) inter / positives;
    double rec = (double) inter / p.fgCount;
    return (1 + BETA2) * pre * rec / (BETA2 * pre + rec);
  }

  /** Changeable E-measure curve, index k = threshold 255 - k. */
  static double[] emeasureCurve(long[] fgFg, long[] fgBg, int fgCount, int size) {
    double[] out = new double[256];
    for (int k = 0; k < 256; k++) {
      out[k] = emeasure(fgFg[k], fgBg[k], fgCount, size);
    }
    return out;
  }

  /** Adaptive E-measure: binarize at {@code min(2*mean,1)}. */
  static double adaptiveEmeasure(PreparedPair p, double threshold) {
    long fgFg = 0;
    long fgBg = 0;
    for (int i = 0; i < p.size; i++) {
      if (p.pred[i] >= threshold) {
        if (p.gt[i]) {
          fgFg++;
        } else {
          fgBg++;
        }
      }
    }
    return emeasure(fgFg, fgBg, p.fgCount, p.size);
  }

  /**
   * E-measure from the counts of predicted-foreground pixels on gt foreground ({@code fgFg}) and
   * gt background ({@code fgBg}); PySODMetrics' {@code cal_em_with_threshold} arithmetic.
   */
  static double emeasure(long fgFg, long fgBg, long gtFg, long size) {
    long predFg = fgFg + fgBg;
    long predBg = size - predFg;
    double sum;
    if (gtFg == 0) {
      sum = predBg;
    } else if (gtFg == size) {
      sum = predFg;
    } else {
      long bgFg = gtFg - fgFg;
      long bgBg = predBg - bgFg;
      double meanPred = (double) predFg / size;
      double meanGt = (double) gtFg / size;
      double predFgValue = 1 - meanPred;
      double predBgValue = 0 - meanPred;
      double gtFgValue = 1 - meanGt;
      double gtBgValue = 0 - meanGt;
      sum = 0;
      sum += part(predFgValue, gtFgValue, fgFg);
      sum += part(predFgValue, gtBgValue, fgBg);
      sum += part(predBgValue, gtFgValue, bgFg);
      sum += part(predBgValue, gtBgValue, bgBg);
    }
    return sum / ((double) (size - 1) + PreparedPair.EPS);
  }

  private static double part(double a, double b, long numel) {
    double align = 2 * (a * b) / (a * a + b * b + PreparedPair.EPS);
    double plus = align + 1;
    double enhanced = plus * plus / 4;
    return enhanced * numel;
  }
}
