package saliency.model.geometry;

import java.util.Arrays;
import java.util.Objects;

/**
 * A binary mask of {@code width x height} pixels, row-major; the mask owns its bit array and is mutable.
 */
public final class Mask {
  private final int width;
  private final int height;
  private final boolean[] bits;

  /** An all-false mask. */
  public Mask(int width, int height) {
    this(width, height, new boolean[checkedSize(width, height)]);
  }

  /** Wraps {@code bits} (row-major, length {@code width*height}) without copying. */
  public Mask(int width, int height, boolean[] bits) {
    Objects.requireNonNull(bits, "bits");
    if (bits.length != checkedSize(width, height)) {
      throw new IllegalArgumentException(
          "mask bits length " + bits.length + " != " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.bits = bits;
  }

  private static int checkedSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("mask size must be positive: " + width + "x" + height);
    }
    return Math.multiplyExact(width, height);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The backing row-major array (not a copy). */
  public boolean[] bits() {
    return bits;
  }

  public boolean get(int x, int y) {
    return bits[y * width + x];
  }

  public void set(int x, int y, boolean value) {
    bits[y * width + x] = value;
  }

  /** Number of true pixels. */
  public int count() {
    int n = 0;
    for (boolean b : bits) {
      if (b) {
        n++;
      }
    }
    return n;
  }

  public boolean isEmpty() {
    for (boolean b : bits) {
      if (b) {
        return false;
      }
    }
    return true;
  }

  /** Pixel-wise OR into this mask; sizes must match. */
  public Mask orInPlace(Mask other) {
    requireSameSize(other);
    for (int i = 0; i < bits.length; i++) {
      bits[i] |= other.bits[i];
    }
    return this;
  }

  /** Intersection over union; 1 when both masks are empty. */
  public double iou(Mask other) {
    requireSameSize(other);
    int inter = 0;
    int union = 0;
    for (int i = 0; i < bits.length; i++) {
      boolean a = bits[i];
      boolean b = other.bits[i];
      if (a && b) {
        inter++;
      }
      if (a || b) {
        union++;
      }
    }
    return union == 0 ? 1.0 : (double) inter / union;
  }

  public Mask copy() {
    return new Mask(width, height, bits.clone());
  }

  private void requireSameSize(Mask other) {
    if (other.width != width || other.height != height) {
      throw new IllegalArgumentException(
          "mask sizes differ: " + width + "x" + height + " vs " + other.width + "x" + other.height);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mask m && m.width == width && m.height == height && Arrays.equals(m.bits, bits);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(bits);
  }

  @Override
  public String toString() {
    return "Mask[" + width + "x" + height + ", " + count() + " on]";
  }
}
