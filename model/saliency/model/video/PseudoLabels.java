package saliency.model.video;

import saliency.model.geometry.Mask;

/**
 * The self-supervised label of a frame: the mask of the previous frames' answers, smoothed by an exponential moving
 * average at a small square resolution (each frame's map sampled at the cell centres); owns the running average, one
 * thread at a time (the serving stream's labelling stage).
 */
public final class PseudoLabels {
  private final int size;
  private final double alpha;
  private double[] average;

  /** Labels at {@code size x size} from an average with weight {@code alpha} (in (0, 1]) on the newest frame. */
  public PseudoLabels(int size, double alpha) {
    if (size < 1 || !(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("size must be >= 1 and alpha in (0, 1]: " + size + ", " + alpha);
    }
    this.size = size;
    this.alpha = alpha;
  }

  /**
   * The label for the frame whose answered map is {@code map} ({@code width x height}): the smoothed mask of the frames
   * before it (null for the first frame); then folds {@code map} into the average.
   */
  public Mask next(double[] map, int width, int height) {
    if (map.length != width * height) {
      throw new IllegalArgumentException("map of " + map.length + " values for " + width + "x" + height);
    }
    Mask label = average == null ? null : mask();
    double[] small = new double[size * size];
    for (int y = 0; y < size; y++) {
      int sy = Math.min(height - 1, (int) ((y + 0.5) * height / size));
      for (int x = 0; x < size; x++) {
        int sx = Math.min(width - 1, (int) ((x + 0.5) * width / size));
        small[y * size + x] = map[sy * width + sx];
      }
    }
    if (average == null) {
      average = small;
    } else {
      for (int i = 0; i < small.length; i++) {
        average[i] = alpha * small[i] + (1 - alpha) * average[i];
      }
    }
    return label;
  }

  private Mask mask() {
    boolean[] bits = new boolean[average.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = average[i] > 0.5;
    }
    return new Mask(size, size, bits);
  }
}
