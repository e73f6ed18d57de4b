package saliency.model.image;

import java.util.Objects;

/**
 * An RGB image as row-major interleaved floats in [0,1] ({@code (H, W, 3)}); the image owns its array.
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final float[] rgb;

  /** Wraps {@code rgb} (length {@code width*height*3}, values in [0,1]) without copying. */
  public RgbImage(int width, int height, float[] rgb) {
    Objects.requireNonNull(rgb, "rgb");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "rgb length " + rgb.length + " != " + width + "x" + height + "x3");
    }
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The backing (H, W, 3) array, not a copy. */
  public float[] rgb() {
    return rgb;
  }

  /** Channel {@code c} (0 red, 1 green, 2 blue) at pixel (x, y). */
  public float get(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c];
  }
}
