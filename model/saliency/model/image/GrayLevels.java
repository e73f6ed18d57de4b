package saliency.model.image;

import java.util.Objects;
import saliency.model.geometry.Mask;

/**
 * An 8-bit single-channel map ({@code (H, W)} row-major levels 0..255), as read from a mask file; the record
 * owns its array.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param levels row-major levels, 0..255 each
 * @param zeroOne whether the file stored its mask as 0/1 values in a wider range (maximum value 1), now scaled to
 *     0/255
 */
public record GrayLevels(int width, int height, int[] levels, boolean zeroOne) {
  /** Levels at or below this, or at or above {@code 255 - NEAR_BINARY_TOLERANCE}, count as binary. */
  public static final int NEAR_BINARY_TOLERANCE = 15;

  /** Ground-truth threshold: a level strictly above this is "on". */
  public static final int ON_THRESHOLD = 127;

  public GrayLevels {
    Objects.requireNonNull(levels, "levels");
    if (width <= 0 || height <= 0 || levels.length != width * height) {
      throw new IllegalArgumentException(
          "levels length " + levels.length + " does not fit " + width + "x" + height);
    }
  }

  /** Levels read as they are (not a 0/1 file). */
  public GrayLevels(int width, int height, int[] levels) {
    this(width, height, levels, false);
  }

  /** The binary mask {@code level > 127}. */
  public Mask toMask() {
    boolean[] bits = new boolean[levels.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = levels[i] > ON_THRESHOLD;
    }
    return new Mask(width, height, bits);
  }

  /**
   * Fraction of pixels whose level is neither near 0 nor near 255 (strictly between
   * {@link #NEAR_BINARY_TOLERANCE} and {@code 255 - NEAR_BINARY_TOLERANCE}).
   */
  public double intermediateFraction() {
    int n = 0;
    for (int v : levels) {
      if (v > NEAR_BINARY_TOLERANCE && v < 255 - NEAR_BINARY_TOLERANCE) {
        n++;
      }
    }
    return (double) n / levels.length;
  }
}
