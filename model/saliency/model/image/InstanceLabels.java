package saliency.model.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Mask;

/**
 * An instance map as read from an instance file: one label per pixel, 0 for background and 1..{@code count} for
 * the instances; the record owns its array.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param labels row-major labels, 0..count each, every label 1..count present at least once
 * @param count the number of instances
 */
public record InstanceLabels(int width, int height, int[] labels, int count) {
  public InstanceLabels {
    Objects.requireNonNull(labels, "labels");
    if (width <= 0 || height <= 0 || labels.length != width * height) {
      throw new IllegalArgumentException(
          "labels length " + labels.length + " does not fit " + width + "x" + height);
    }
    if (count < 0) {
      throw new IllegalArgumentException("instance count must be >= 0: " + count);
    }
  }

  /** One mask per instance, label 1 first. */
  public List<Mask> masks() {
    List<boolean[]> bits = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      bits.add(new boolean[labels.length]);
    }
    for (int i = 0; i < labels.length; i++) {
      int k = labels[i];
      if (k > 0) {
        bits.get(k - 1)[i] = true;
      }
    }
    List<Mask> out = new ArrayList<>(count);
    for (boolean[] b : bits) {
      out.add(new Mask(width, height, b));
    }
    return out;
  }
}
