package saliency.model.video;

/**
 * Temporal smoothing of a stream's per-frame saliency maps: off, or an exponential moving average
 * {@code s = alpha * map + (1 - alpha) * s_previous}, started afresh at the first frame and whenever the frame size
 * changes. Owns its running average: one stream, one thread at a time.
 */
public final class MaskSmoother {
  private final double alpha;
  private double[] state;
  private int width;
  private int height;

  /** A smoother with weight {@code alpha} in (0, 1] on the newest frame; 1 is off. */
  public MaskSmoother(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("EMA alpha must be in (0, 1], got " + alpha);
    }
    this.alpha = alpha;
  }

  public double alpha() {
    return alpha;
  }

  /** The smoothed map of {@code map} ({@code width*height} values), a new array; {@code map} is not changed. */
  public double[] apply(int width, int height, double[] map) {
    if (map.length != width * height) {
      throw new IllegalArgumentException("map of " + map.length + " values for " + width + "x" + height);
    }
    if (state == null || width != this.width || height != this.height || alpha == 1) {
      state = map.clone();
      this.width = width;
      this.height = height;
      return state.clone();
    }
    for (int i = 0; i < map.length; i++) {
      state[i] = alpha * map[i] + (1 - alpha) * state[i];
    }
    return state.clone();
  }
}
