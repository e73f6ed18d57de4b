package saliency.model.metrics;

/**
 * Exact Euclidean feature transform of a 2-D binary image (Maurer, Qi and Raghavan, PAMI 2003),
 * ported from scipy.ndimage's {@code distance_transform_edt(..., return_indices=True)} including
 * its order of passes and its tie-breaking, so the nearest background pixel chosen on ties is
 * the same one. Stateless.
 */
final class FeatureTransform {
  private FeatureTransform() {}

  /**
   * For every pixel, the row-major index of the nearest pixel where {@code input} is false (the
   * pixel itself when false); -1 everywhere when {@code input} has no false pixel.
   */
  static int[] nearestZero(boolean[] input, int width, int height) {
    int n = width * height;
    int[] fy = new int[n];
    int[] fx = new int[n];
    int maxLen = Math.max(width, height);
    int[][] f = new int[maxLen][2];
    int[] g = new int[maxLen];
    // pass 1: along axis 0 (rows) for every column
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        int i = y * width + x;
        if (input[i]) {
          fy[i] = -1;
        } else {
          fy[i] = y;
          fx[i] = x;
        }
      }
      voronoi(fy, fx, x, width, height, 0, x, f, g);
    }
    // pass 2: along axis 1 (columns) for every row
    for (int y = 0; y < height; y++) {
      voronoi(fy, fx, y * width, 1, width, 1, y, f, g);
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = fy[i] < 0 ? -1 : fy[i] * width + fx[i];
    }
    return out;
  }

  /**
   * One 1-D Voronoi pass over {@code len} pixels starting at {@code start} with step
   * {@code step}; {@code d} is the axis along the line (0 = y, 1 = x) and {@code other} the fixed
   * coordinate on the other axis.
   */
  private static void voronoi(
      int[] fy, int[] fx, int start, int step, int len, int d, int other, int[][] f, int[] g) {
    for (int ii = 0; ii < len; ii++) {
      int idx = start + ii * step;
      f[ii][0] = fy[idx];
      f[ii][1] = fx[idx];
    }
    int o = 1 - d;
    int l = -1;
    for (int ii = 0; ii < len; ii++) {
      if (f[ii][0] >= 0) {
        double fd = f[ii][d];
        double tw = f[ii][o] - other;
        double wR = tw * tw;
        while (l >= 1) {
          int idx1 = g[l];
          double f1 = f[idx1][d];
          int idx2 = g[l - 1];
          double a = f1 - f[idx2][d];
          double b = fd - f1;
          double c = a + b;
          double tu = f[idx2][o] - other;
          double tv = f[idx1][o] - other;
          double uR = tu * tu;
          double vR = tv * tv;
          if (c * vR - b * uR - a * wR - a * b * c <= 0.0) {
            break;
          }
          --l;
        }
        ++l;
        g[l] = ii;
      }
    }
    int maxl = l;
    if (maxl >= 0) {
      l = 0;
      for (int ii = 0; ii < len; ii++) {
        double delta1 = dist2(f[g[l]], d, ii, other);
        while (l < maxl) {
          double delta2 = dist2(f[g[l + 1]], d, ii, other);
          if (delta1 <= delta2) {
            break;
          }
          delta1 = delta2;
          ++l;
        }
        int[] best = f[g[l]];
        int idx = start + ii * step;
        fy[idx] = best[0];
        fx[idx] = best[1];
      }
    }
  }

  private static double dist2(int[] feature, int d, int along, int other) {
    double s = 0.0;
    for (int jj = 0; jj < 2; jj++) {
      double t = jj == d ? feature[jj] - along : feature[jj] - other;
      s += t * t;
    }
    return s;
  }
}
