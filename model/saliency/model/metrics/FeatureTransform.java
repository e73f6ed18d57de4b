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
    int[] f0 = new int[maxLen];
    int[] f1 = new int[maxLen];
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
      voronoi(fy, fx, x, width, height, 0, x, f0, f1, g);
    }
    // pass 2: along axis 1 (columns) for every row
    for (int y = 0; y < height; y++) {
      voronoi(fy, fx, y * width, 1, width, 1, y, f0, f1, g);
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = fy[i] < 0 ? -1 : fy[i] * width + fx[i];
    }
    return out;
  }

  /**
   * One 1-D Voronoi pass (scipy's {@code _VoronoiFT}) over {@code len} pixels starting at
   * {@code start} with step {@code step}; {@code d} is the axis along the line (0 = y, 1 = x) and
   * {@code other} the fixed coordinate on the other axis. scipy computes in doubles on integer
   * values; every quantity here is an exact integer, so long arithmetic gives the same decisions.
   */
  private static void voronoi(
      int[] fy, int[] fx, int start, int step, int len, int d, int other,
      int[] f0, int[] f1, int[] g) {
    for (int ii = 0; ii < len; ii++) {
      int idx = start + ii * step;
      f0[ii] = fy[idx];
      f1[ii] = fx[idx];
    }
    int[] along = d == 0 ? f0 : f1;
    int[] across = d == 0 ? f1 : f0;
    int l = -1;
    for (int ii = 0; ii < len; ii++) {
      if (f0[ii] >= 0) {
        long fd = along[ii];
        long tw = across[ii] - other;
        long wR = tw * tw;
        while (l >= 1) {
          int idx1 = g[l];
          long fAlong1 = along[idx1];
          int idx2 = g[l - 1];
          long a = fAlong1 - along[idx2];
          long b = fd - fAlong1;
          long c = a + b;
          long tu = across[idx2] - other;
          long tv = across[idx1] - other;
          long uR = tu * tu;
          long vR = tv * tv;
          if (c * vR - b * uR - a * wR - a * b * c <= 0) {
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
        long delta1 = dist2(along[g[l]] - ii, across[g[l]] - other);
        while (l < maxl) {
          long delta2 = dist2(along[g[l + 1]] - ii, across[g[l + 1]] - other);
          if (delta1 <= delta2) {
            break;
          }
          delta1 = delta2;
          ++l;
        }
        int best = g[l];
        int idx = start + ii * step;
        fy[idx] = f0[best];
        fx[idx] = f1[best];
      }
    }
  }

  private static long dist2(long t1, long t2) {
    return t1 * t1 + t2 * t2;
  }
}
