package saliency.model.metrics;

/** Summations in the order numpy uses for float64 reductions, so results agree to the last bits. */
final class NumpySums {
  private static final int BLOCK = 128;

  private NumpySums() {}

  /** numpy's pairwise sum of {@code a[off .. off+n)} (a contiguous float64 reduction). */
  static double pairwise(double[] a, int off, int n) {
    if (n < 8) {
      double res = 0.0;
      for (int i = 0; i < n; i++) {
        res += a[off + i];
      }
      return res;
    } else if (n <= BLOCK) {
      double r0 = a[off];
      double r1 = a[off + 1];
      double r2 = a[off + 2];
      double r3 = a[off + 3];
      double r4 = a[off + 4];
      double r5 = a[off + 5];
      double r6 = a[off + 6];
      double r7 = a[off + 7];
      int i;
      int end = n - (n % 8);
      for (i = 8; i < end; i += 8) {
        int p = off + i;
        r0 += a[p];
        r1 += a[p + 1];
        r2 += a[p + 2];
        r3 += a[p + 3];
        r4 += a[p + 4];
        r5 += a[p + 5];
        r6 += a[p + 6];
        r7 += a[p + 7];
      }
      double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) {
        res += a[off + i];
      }
      return res;
    } else {
      int n2 = n / 2;
      n2 -= n2 % 8;
      return pairwise(a, off, n2) + pairwise(a, off + n2, n - n2);
    }
  }

  static double pairwise(double[] a) {
    return pairwise(a, 0, a.length);
  }

  /** {@code np.mean} of a contiguous array. */
  static double mean(double[] a, int n) {
    return pairwise(a, 0, n) / n;
  }

  /**
   * {@code np.mean} of the strided view {@code m[y0:y0+h, x0:x0+w]} of a row-major matrix of width
   * {@code stride}: numpy sums each row pairwise and adds the row sums in order, unless the view is
   * contiguous (full rows), where it sums the whole block pairwise.
   */
  static double meanOfView(double[] m, int stride, int x0, int y0, int w, int h) {
    int n = w * h;
    if (w == stride || h == 1) {
      return pairwise(m, y0 * stride + x0, n) / n;
    }
    double acc = 0.0;
    for (int y = y0; y < y0 + h; y++) {
      acc += pairwise(m, y * stride + x0, w);
    }
    return acc / n;
  }
}
