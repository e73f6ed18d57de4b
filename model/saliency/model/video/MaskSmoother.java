package saliency.model.video;

import java.util.Locale;

/**
 * Temporal smoothing of a stream's per-frame saliency maps: off, or an exponential moving average
 * {@code s = alpha * map + (1 - alpha) * s_previous}, started afresh at the first frame and whenever the frame size
 * changes. Owns its running average: one stream, one thread at a time.
 */
public final class MaskSmoother {
  /** Weight of the newest frame of {@code ema} without a value. */
  public static final double DEFAULT_ALPHA = 0.5;

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

  /**
   * The weight on the newest frame that {@code off}, {@code ema} or {@code ema:ALPHA} names (1 for off).
   *
   * @throws IllegalArgumentException naming the setting when it is none of these
   */
  public static double parseAlpha(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("off")) {
      return 1;
    }
    if (s.equals("ema")) {
      return DEFAULT_ALPHA;
    }
    if (s.startsWith("ema:")) {
      double a;
      try {
        a = Double.parseDouble(s.substring(4));
      } catch (NumberFormatException e) {
        a = Double.NaN;
      }
      if (a > 0 && a <= 1) {
        return a;
      }
    }
    throw new IllegalArgumentException("smoothing must be off, ema or ema:ALPHA with 0 < ALPHA <= 1, got " + spec);
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
