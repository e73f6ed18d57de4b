package saliency.model.image;

import java.util.Objects;
import saliency.model.geometry.Mask;

/**
 * Resizes images and masks to the square model resolution {@code size x size} by stretching or letterboxing, and
 * maps model-resolution masks and maps back to the original size; an immutable value.
 *
 * <p>Images are resampled bilinearly with a triangle filter widened by the scale factor when shrinking (as PIL's
 * {@code BILINEAR}), so large photographs do not alias; masks use nearest neighbour.
 *
 * @param size the model resolution S (output is S x S)
 * @param fit how the aspect ratio is handled
 * @param pad the constant (all three channels) filling the letterbox border, in [0,1]
 */
public record Resizer(int size, Fit fit, float pad) {

  /** How an image of any aspect ratio is fitted into the square. */
  public enum Fit {
    /** Scale each axis independently to S; aspect ratio not kept, no padding. */
    STRETCH,
    /** Scale both axes by {@code S / max(W, H)}, centre, pad the rest with {@link Resizer#pad()}. */
    LETTERBOX
  }

  /**
   * Where the resized original lies in the S x S frame: the rectangle {@code [offsetX, offsetX + scaledWidth) x
   * [offsetY, offsetY + scaledHeight)} holds the whole original of {@code srcWidth x srcHeight}.
   */
  public record Placement(
      int srcWidth, int srcHeight, int size, int offsetX, int offsetY, int scaledWidth, int scaledHeight) {
    public Placement {
      if (srcWidth <= 0 || srcHeight <= 0 || size <= 0 || scaledWidth <= 0 || scaledHeight <= 0
          || offsetX < 0 || offsetY < 0 || offsetX + scaledWidth > size || offsetY + scaledHeight > size) {
        throw new IllegalArgumentException("inconsistent placement " + srcWidth + "x" + srcHeight + " -> ["
            + offsetX + "," + offsetY + " " + scaledWidth + "x" + scaledHeight + "] in " + size);
      }
    }
  }

  /** A resized image with its placement. */
  public record Resized(RgbImage image, Placement placement) {
    public Resized {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(placement, "placement");
    }
  }

  public Resizer {
    Objects.requireNonNull(fit, "fit");
    if (size <= 0) {
      throw new IllegalArgumentException("size must be positive: " + size);
    }
    if (!(pad >= 0f && pad <= 1f)) {
      throw new IllegalArgumentException("pad must be in [0,1]: " + pad);
    }
  }

  /** A stretching resizer to {@code size x size}. */
  public static Resizer stretch(int size) {
    return new Resizer(size, Fit.STRETCH, 0f);
  }

  /** A letterboxing resizer to {@code size x size} padding with {@code pad}. */
  public static Resizer letterbox(int size, float pad) {
    return new Resizer(size, Fit.LETTERBOX, pad);
  }

  /** The placement an original of {@code width x height} gets. */
  public Placement placement(int width, int height) {
    if (fit == Fit.STRETCH) {
      return new Placement(width, height, size, 0, 0, size, size);
    }
    double scale = (double) size / Math.max(width, height);
    int sw = Math.max(1, Math.min(size, (int) Math.round(width * scale)));
    int sh = Math.max(1, Math.min(size, (int) Math.round(height * scale)));
    return new Placement(width, height, size, (size - sw) / 2, (size - sh) / 2, sw, sh);
  }

  /** The image at S x S and where the original lies in it. */
  public Resized resize(RgbImage image) {
    Placement p = placement(image.width(), image.height());
    float[] scaled = resample(image.rgb(), image.width(), 0, 0, image.width(), image.height(), 3,
        p.scaledWidth(), p.scaledHeight());
    float[] out = new float[size * size * 3];
    if (pad != 0f) {
      java.util.Arrays.fill(out, pad);
    }
    for (int y = 0; y < p.scaledHeight(); y++) {
      System.arraycopy(scaled, y * p.scaledWidth() * 3, out,
          ((y + p.offsetY()) * size + p.offsetX()) * 3, p.scaledWidth() * 3);
    }
    return new Resized(new RgbImage(size, size, out), p);
  }

  /** The mask at S x S (nearest neighbour, same placement as {@link #resize}; the border is off). */
  public Mask resizeMask(Mask mask) {
    Placement p = placement(mask.width(), mask.height());
    Mask out = new Mask(size, size);
    for (int y = 0; y < p.scaledHeight(); y++) {
      int sy = nearest(y, p.scaledHeight(), mask.height());
      for (int x = 0; x < p.scaledWidth(); x++) {
        int sx = nearest(x, p.scaledWidth(), mask.width());
        if (mask.get(sx, sy)) {
          out.set(x + p.offsetX(), y + p.offsetY(), true);
        }
      }
    }
    return out;
  }

  /** Maps an S x S mask back to the original size (nearest neighbour over the placed rectangle). */
  public static Mask maskBack(Mask modelMask, Placement p) {
    requireModelSize(modelMask.width(), modelMask.height(), p);
    Mask out = new Mask(p.srcWidth(), p.srcHeight());
    for (int y = 0; y < p.srcHeight(); y++) {
      int my = p.offsetY() + nearest(y, p.srcHeight(), p.scaledHeight());
      for (int x = 0; x < p.srcWidth(); x++) {
        int mx = p.offsetX() + nearest(x, p.srcWidth(), p.scaledWidth());
        if (modelMask.get(mx, my)) {
          out.set(x, y, true);
        }
      }
    }
    return out;
  }

  /** Maps an S x S soft map (row-major) back to the original size, bilinearly over the placed rectangle. */
  public static double[] mapBack(double[] modelMap, Placement p) {
    Objects.requireNonNull(modelMap, "modelMap");
    if (modelMap.length != p.size() * p.size()) {
      throw new IllegalArgumentException(
          "map length " + modelMap.length + " != " + p.size() + "x" + p.size());
    }
    float[] f = new float[modelMap.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) modelMap[i];
    }
    float[] back = resample(f, p.size(), p.offsetX(), p.offsetY(), p.scaledWidth(), p.scaledHeight(), 1,
        p.srcWidth(), p.srcHeight());
    double[] out = new double[back.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = back[i];
    }
    return out;
  }

  /** Resizes an RGB image to any {@code width x height} (bilinear, antialiased when shrinking). */
  public static RgbImage resizeTo(RgbImage image, int width, int height) {
    return new RgbImage(width, height,
        resample(image.rgb(), image.width(), 0, 0, image.width(), image.height(), 3, width, height));
  }

  private static void requireModelSize(int w, int h, Placement p) {
    if (w != p.size() || h != p.size()) {
      throw new IllegalArgumentException(
          "model mask " + w + "x" + h + " does not match placement size " + p.size());
    }
  }

  /** Index in a source of {@code srcLen} sampled for output index {@code i} of {@code dstLen} (pixel centres). */
  private static int nearest(int i, int dstLen, int srcLen) {
    return Math.min(srcLen - 1, (int) ((i + 0.5) * srcLen / dstLen));
  }

  /**
   * Separable triangle-filter resampling of the region {@code [x0, x0+rw) x [y0, y0+rh)} of a row-major
   * interleaved source with row stride {@code stride} pixels, to {@code dw x dh}.
   */
  static float[] resample(float[] src, int stride, int x0, int y0, int rw, int rh, int ch, int dw, int dh) {
    if (dw <= 0 || dh <= 0) {
      throw new IllegalArgumentException("target size must be positive: " + dw + "x" + dh);
    }
    Kernel kx = Kernel.of(rw, dw);
    Kernel ky = Kernel.of(rh, dh);
    // horizontal pass: (rh, dw, ch)
    float[] tmp = new float[rh * dw * ch];
    if (ch == 3) {
      // the same sums in the same order as the general loop, the three channels of a tap together (one weight load, one index)
      for (int y = 0; y < rh; y++) {
        int rowBase = ((y0 + y) * stride + x0) * 3;
        for (int x = 0; x < dw; x++) {
          int off = x * kx.width;
          int at = rowBase + kx.first[x] * 3;
          float r = 0f;
          float g = 0f;
          float b = 0f;
          for (int k = 0, n = kx.count[x]; k < n; k++, at += 3) {
            float wgt = kx.weights[off + k];
            r += wgt * src[at];
            g += wgt * src[at + 1];
            b += wgt * src[at + 2];
          }
          int o = (y * dw + x) * 3;
          tmp[o] = r;
          tmp[o + 1] = g;
          tmp[o + 2] = b;
        }
      }
    } else {
      for (int y = 0; y < rh; y++) {
        int rowBase = ((y0 + y) * stride + x0) * ch;
        for (int x = 0; x < dw; x++) {
          int first = kx.first[x];
          int off = x * kx.width;
          for (int c = 0; c < ch; c++) {
            float acc = 0f;
            for (int k = 0; k < kx.count[x]; k++) {
              acc += kx.weights[off + k] * src[rowBase + (first + k) * ch + c];
            }
            tmp[(y * dw + x) * ch + c] = acc;
          }
        }
      }
    }
    // vertical pass: (dh, dw, ch)
    float[] out = new float[dh * dw * ch];
    for (int y = 0; y < dh; y++) {
      int first = ky.first[y];
      int off = y * ky.width;
      for (int k = 0; k < ky.count[y]; k++) {
        float wgt = ky.weights[off + k];
        int srcRow = (first + k) * dw * ch;
        int dstRow = y * dw * ch;
        for (int i = 0; i < dw * ch; i++) {
          out[dstRow + i] += wgt * tmp[srcRow + i];
        }
      }
    }
    return out;
  }

  /** Normalized triangle-filter taps for one axis. */
  private record Kernel(int[] first, int[] count, float[] weights, int width) {
    static Kernel of(int srcLen, int dstLen) {
      double scale = (double) srcLen / dstLen;
      double support = Math.max(1.0, scale); // triangle radius in source pixels
      int width = (int) Math.ceil(support) * 2 + 1;
      int[] first = new int[dstLen];
      int[] count = new int[dstLen];
      float[] weights = new float[dstLen * width];
      for (int i = 0; i < dstLen; i++) {
        double center = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(center - support));
        int hi = Math.min(srcLen, (int) Math.ceil(center + support));
        double sum = 0;
        int n = 0;
        double[] w = new double[hi - lo];
        for (int j = lo; j < hi; j++) {
          double t = Math.abs((j + 0.5 - center) / support);
          w[j - lo] = t < 1 ? 1 - t : 0;
          sum += w[j - lo];
        }
        // trim zero taps at both ends; the source pixel nearest the centre always has weight >= 1/2, so sum > 0
        int a = 0;
        int b = w.length;
        while (a < b && w[a] == 0) {
          a++;
        }
        while (b > a && w[b - 1] == 0) {
          b--;
        }
        first[i] = lo + a;
        for (int j = a; j < b && n < width; j++) {
          weights[i * width + n] = (float) (w[j] / sum);
          n++;
        }
        count[i] = n;
      }
      return new Kernel(first, count, weights, width);
    }
  }
}
