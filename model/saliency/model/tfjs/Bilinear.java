package saliency.model.tfjs;

import saliency.model.image.RgbImage;

/**
 * Bilinear resampling of interleaved float images with half-pixel centers and edge clamping (TensorFlow's
 * {@code ResizeBilinear} with {@code half_pixel_centers=true}, no antialiasing); stateless.
 */
public final class Bilinear {
  private Bilinear() {}

  /** {@code image} stretched to {@code width x height}, as a new (H, W, 3) array. */
  public static float[] resize(RgbImage image, int width, int height) {
    return resize(image.rgb(), image.width(), image.height(), 3, width, height);
  }

  /**
   * Resizes {@code src} ({@code (srcH, srcW, channels)}, row-major interleaved) to {@code (dstH, dstW, channels)}.
   * Source coordinate of output pixel x is {@code (x + 0.5) * srcW / dstW - 0.5}, clamped to the image.
   */
  public static float[] resize(float[] src, int srcW, int srcH, int channels, int dstW, int dstH) {
    if (srcW <= 0 || srcH <= 0 || dstW <= 0 || dstH <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          "bad resize " + srcW + "x" + srcH + " -> " + dstW + "x" + dstH + " with " + channels + " channels");
    }
    if (src.length != srcW * srcH * channels) {
      throw new IllegalArgumentException(
          "source length " + src.length + " != " + srcW + "x" + srcH + "x" + channels);
    }
    int[] x0 = new int[dstW];
    int[] x1 = new int[dstW];
    float[] fx = new float[dstW];
    axis(srcW, dstW, x0, x1, fx);
    int[] y0 = new int[dstH];
    int[] y1 = new int[dstH];
    float[] fy = new float[dstH];
    axis(srcH, dstH, y0, y1, fy);
    float[] dst = new float[dstW * dstH * channels];
    int o = 0;
    for (int y = 0; y < dstH; y++) {
      int r0 = y0[y] * srcW;
      int r1 = y1[y] * srcW;
      float wy = fy[y];
      for (int x = 0; x < dstW; x++) {
        float wx = fx[x];
        int a = (r0 + x0[x]) * channels;
        int b = (r0 + x1[x]) * channels;
        int c = (r1 + x0[x]) * channels;
        int d = (r1 + x1[x]) * channels;
        for (int k = 0; k < channels; k++) {
          float top = src[a + k] + (src[b + k] - src[a + k]) * wx;
          float bottom = src[c + k] + (src[d + k] - src[c + k]) * wx;
          dst[o++] = top + (bottom - top) * wy;
        }
      }
    }
    return dst;
  }

  private static void axis(int srcN, int dstN, int[] i0, int[] i1, float[] frac) {
    double scale = (double) srcN / dstN;
    for (int i = 0; i < dstN; i++) {
      double s = (i + 0.5) * scale - 0.5;
      if (s < 0) {
        s = 0;
      }
      int lo = Math.min((int) Math.floor(s), srcN - 1);
      i0[i] = lo;
      i1[i] = Math.min(lo + 1, srcN - 1);
      frac[i] = (float) (s - lo);
    }
  }
}
