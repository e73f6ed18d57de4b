package saliency.model.metrics;

/**
 * S-measure (Fan et al., ICCV 2017) of one prepared pair, with PySODMetrics' arithmetic: region
 * score split at the rounded foreground centroid, object score from foreground/background
 * statistics. Degenerate splits give NaN intermediate scores which, as in PySODMetrics'
 * {@code max(0, score)}, make the result 0. Stateless.
 */
final class StructureMeasure {
  private StructureMeasure() {}

  static double of(PreparedPair p, double alpha) {
    double y = (double) p.fgCount / p.size;
    if (y == 0) {
      return 1 - p.predMean();
    } else if (y == 1) {
      return p.predMean();
    }
    double objectScore = object(p) * alpha;
    double regionScore = region(p) * (1 - alpha);
    double sm = objectScore + regionScore;
    // Python's max(0, sm): 0 unless sm > 0, so NaN becomes 0.
    return sm > 0 ? sm : 0;
  }

  private static double sObject(double[] x, int n) {
    double mean = NumpySums.pairwise(x, 0, n) / n;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      double v = x[i] - mean;
      d[i] = v * v;
    }
    double std = Math.sqrt(NumpySums.pairwise(d, 0, n) / (n - 1));
    return 2 * mean / (mean * mean + 1 + std + PreparedPair.EPS);
  }

  private static double object(PreparedPair p) {
    double gtMean = (double) p.fgCount / p.size;
    int nFg = p.fgCount;
    int nBg = p.size - nFg;
    double[] fg = new double[nFg];
    double[] bg = new double[nBg];
    int a = 0;
    int b = 0;
    for (int i = 0; i < p.size; i++) {
      if (p.gt[i]) {
        fg[a++] = p.pred[i];
      } else {
        bg[b++] = 1 - p.pred[i];
      }
    }
    double fgScore = sObject(fg, nFg) * gtMean;
    double bgScore = sObject(bg, nBg) * (1 - gtMean);
    return fgScore + bgScore;
  }

  private static double region(PreparedPair p) {
    int h = p.height;
    int w = p.width;
    int area = h * w;
    long sumY = 0;
    long sumX = 0;
    for (int yy = 0; yy < h; yy++) {
      int row = yy * w;
      for (int xx = 0; xx < w; xx++) {
        if (p.gt[row + xx]) {
          sumY += yy;
          sumX += xx;
        }
      }
    }
    int cy = (int) Math.rint((double) sumY / p.fgCount) + 1;
    int cx = (int) Math.rint((double) sumX / p.fgCount) + 1;
    // the Python code evaluates these integer products as Python ints then divides
    double wLt = (double) ((long) cx * cy) / area;
    double wRt = (double) ((long) cy * (w - cx)) / area;
    double wLb = (double) ((long) (h - cy) * cx) / area;
    double wRb = 1 - wLt - wRt - wLb;
    double scoreLt = ssim(p, 0, 0, cx, cy) * wLt;
    double scoreRt = ssim(p, cx, 0, w - cx, cy) * wRt;
    double scoreLb = ssim(p, 0, cy, cx, h - cy) * wLb;
    double scoreRb = ssim(p, cx, cy, w - cx, h - cy) * wRb;
    return scoreLt + scoreRt + scoreLb + scoreRb;
  }

  /** SSIM-like score of the block at (x0, y0) of size bw x bh. */
  private static double ssim(PreparedPair p, int x0, int y0, int bw, int bh) {
    int n = bw * bh;
    int stride = p.width;
    double x = NumpySums.meanOfView(p.pred, stride, x0, y0, bw, bh);
    double[] g = new double[n];
    int count = 0;
    int k = 0;
    for (int yy = y0; yy < y0 + bh; yy++) {
      for (int xx = x0; xx < x0 + bw; xx++) {
        boolean on = p.gt[yy * stride + xx];
        g[k++] = on ? 1.0 : 0.0;
        if (on) {
          count++;
        }
      }
    }
    // a sum of zeros and ones is exact in any order
    double y = (double) count / n;
    double[] dx2 = new double[n];
    double[] dy2 = new double[n];
    double[] dxy = new double[n];
    k = 0;
    for (int yy = y0; yy < y0 + bh; yy++) {
      for (int xx = x0; xx < x0 + bw; xx++) {
        double dx = p.pred[yy * stride + xx] - x;
        double dy = g[k] - y;
        dx2[k] = dx * dx;
        dy2[k] = dy * dy;
        dxy[k] = dx * dy;
        k++;
      }
    }
    double sigmaX = NumpySums.pairwise(dx2, 0, n) / (n - 1);
    double sigmaY = NumpySums.pairwise(dy2, 0, n) / (n - 1);
    double sigmaXy = NumpySums.pairwise(dxy, 0, n) / (n - 1);
    double alpha = 4 * x * y * sigmaXy;
    double beta = (x * x + y * y) * (sigmaX + sigmaY);
    if (alpha != 0) {
      return alpha / (beta + PreparedPair.EPS);
    } else if (beta == 0) {
      return 1;
    }
    return 0;
  }
}
