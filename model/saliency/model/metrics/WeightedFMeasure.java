package saliency.model.metrics;

/**
 * Weighted F-measure (Margolin et al., CVPR 2014, beta 1) of one prepared pair, as PySODMetrics'
 * {@code WeightedFmeasure}: errors at background pixels taken from the nearest foreground pixel,
 * a 7x7 Gaussian (sigma 5) filter with zero padding, distance-dependent background importance.
 * Stateless.
 */
final class WeightedFMeasure {
  private static final int K = 7;
  private static final int HALF = 3;
  /** MATLAB's {@code fspecial('gaussian', 7, 5)}, row-major. */
  private static final double[] KERNEL = gaussianKernel(5);

  private WeightedFMeasure() {}

  static double[] gaussianKernel(int sigma) {
    double[] h = new double[K * K];
    double max = 0;
    for (int i = 0; i < K; i++) {
      double y = i - HALF;
      for (int j = 0; j < K; j++) {
        double x = j - HALF;
        double v = Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
        h[i * K + j] = v;
        max = Math.max(max, v);
      }
    }
    for (int i = 0; i < h.length; i++) {
      if (h[i] < Math.ulp(1.0) * max) {
        h[i] = 0;
      }
    }
    double sum = NumpySums.pairwise(h);
    if (sum != 0) {
      for (int i = 0; i < h.length; i++) {
        h[i] /= sum;
      }
    }
    return h;
  }

  static double of(PreparedPair p, double beta) {
    if (p.fgCount == 0) {
      return 0;
    }
    int w = p.width;
    int h = p.height;
    int n = p.size;
    boolean[] bg = new boolean[n];
    for (int i = 0; i < n; i++) {
      bg[i] = !p.gt[i];
    }
    int[] nearest = FeatureTransform.nearestZero(bg, w, h);
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      e[i] = Math.abs(p.pred[i] - (p.gt[i] ? 1.0 : 0.0));
    }
    double[] et = new double[n];
    for (int i = 0; i < n; i++) {
      et[i] = p.gt[i] ? e[i] : e[nearest[i]];
    }
    double[] ea = filter(et, w, h);
    double logHalfOver5 = Math.log(0.5) / 5;
    double[] ewFg = new double[p.fgCount];
    double[] ewBg = new double[n - p.fgCount];
    int a = 0;
    int b = 0;
    for (int i = 0; i < n; i++) {
      if (p.gt[i]) {
        double minEEa = ea[i] < e[i] ? ea[i] : e[i];
        ewFg[a++] = minEEa * 1.0;
      } else {
        int j = nearest[i];
        int dy = j / w - i / w;
        int dx = j % w - i % w;
        double dst = Math.sqrt((double) dy * dy + (double) dx * dx);
        double weight = 2 - Math.exp(logHalfOver5 * dst);
        ewBg[b++] = e[i] * weight;
      }
    }
    double sumFg = NumpySums.pairwise(ewFg);
    double tpw = p.fgCount - sumFg;
    double fpw = NumpySums.pairwise(ewBg);
    double r = 1 - sumFg / p.fgCount;
    double precision = tpw / (tpw + fpw + PreparedPair.EPS);
    return (1 + beta) * r * precision / (r + beta * precision + PreparedPair.EPS);
  }

  /**
   * scipy.ndimage.convolve(et, KERNEL, mode='constant', cval=0) for the symmetric kernel: per
   * output pixel, the products summed in the kernel's row-major order (out-of-image terms are
   * zero and skipped).
   */
  private static double[] filter(double[] in, int w, int h) {
    double[] out = new double[w * h];
    double[] k = KERNEL;
    for (int y = 0; y < h; y++) {
      boolean rowInside = y >= HALF && y < h - HALF;
      for (int x = 0; x < w; x++) {
        double tmp = 0.0;
        if (rowInside && x >= HALF && x < w - HALF) {
          int base = (y - HALF) * w + (x - HALF);
          for (int i = 0; i < K; i++) {
            int r = base + i * w;
            int kr = i * K;
            tmp += in[r] * k[kr];
            tmp += in[r + 1] * k[kr + 1];
            tmp += in[r + 2] * k[kr + 2];
            tmp += in[r + 3] * k[kr + 3];
            tmp += in[r + 4] * k[kr + 4];
            tmp += in[r + 5] * k[kr + 5];
            tmp += in[r + 6] * k[kr + 6];
          }
        } else {
          for (int i = 0; i < K; i++) {
            int yy = y + i - HALF;
            if (yy < 0 || yy >= h) {
              continue;
            }
            int row = yy * w;
            int kr = i * K;
            for (int j = 0; j < K; j++) {
              int xx = x + j - HALF;
              if (xx >= 0 && xx < w) {
                tmp += in[row + xx] * k[kr + j];
              }
            }
          }
        }
        out[y * w + x] = tmp;
      }
    }
    return out;
  }
}
