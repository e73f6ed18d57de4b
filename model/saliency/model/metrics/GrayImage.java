package saliency.model.metrics;

import java.util.Objects;
import saliency.model.geometry.Mask;

/**
 * An 8-bit grey image, row-major levels 0..255; wraps its pixel array without copying.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param pixels row-major grey levels, length {@code width*height}
 */
public record GrayImage(int width, int height, int[] pixels) {
  public GrayImage {
    Objects.requireNonNull(pixels, "pixels");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (pixels.length != Math.multiplyExact(width, height)) {
      throw new IllegalArgumentException(
          "pixels length " + pixels.length + " != " + width + "x" + height);
    }
  }

  /** Foreground where the level is above {@code threshold} (PySODMetrics uses 128). */
  public Mask toMask(int threshold) {
    boolean[] bits = new boolean[pixels.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = pixels[i] > threshold;
    }
    return new Mask(width, height, bits);
  }

  /** A 0/255 map of a binary mask. */
  public static GrayImage of(Mask mask) {
    boolean[] bits = mask.bits();
    int[] px = new int[bits.length];
    for (int i = 0; i < px.length; i++) {
      px[i] = bits[i] ? 255 : 0;
    }
    return new GrayImage(mask.width(), mask.height(), px);
  }
}
