package saliency.model.video;

import java.util.Locale;
import java.util.Objects;

/**
 * How a video stream smooths its answers over frames, an immutable value: {@code off}; {@code ema[:ALPHA]}, an
 * exponential moving average of the saliency maps ({@link MaskSmoother}); or {@code vertices[:ALPHA]}, the same
 * average of the answer's polygon vertices, re-rasterized ({@link VertexSmoother}); ALPHA is the newest frame's weight.
 */
public record Smoothing(Kind kind, double alpha) {
  /** Weight of the newest frame when a smoothing is named without a value. */
  public static final double DEFAULT_ALPHA = 0.5;

  /** No smoothing. */
  public static final Smoothing OFF = new Smoothing(Kind.OFF, 1);

  /** What is averaged over frames. */
  public enum Kind {
    /** Nothing: each frame's own map. */
    OFF,
    /** The saliency maps. */
    EMA,
    /** The polygons' vertices. */
    VERTICES
  }

  public Smoothing {
    Objects.requireNonNull(kind, "kind");
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("smoothing weight must be in (0, 1], got " + alpha);
    }
    if (kind == Kind.OFF && alpha != 1) {
      throw new IllegalArgumentException("smoothing off has weight 1, got " + alpha);
    }
  }

  /**
   * The smoothing {@code off}, {@code ema}, {@code ema:ALPHA}, {@code vertices} or {@code vertices:ALPHA} names.
   *
   * @throws IllegalArgumentException naming the setting when it is none of these
   */
  public static Smoothing parse(String spec) {
    String s = Objects.requireNonNull(spec, "spec").trim().toLowerCase(Locale.ROOT);
    if (s.equals("off")) {
      return OFF;
    }
    for (Kind k : new Kind[] {Kind.EMA, Kind.VERTICES}) {
      String name = k.name().toLowerCase(Locale.ROOT);
      if (s.equals(name)) {
        return new Smoothing(k, DEFAULT_ALPHA);
      }
      if (s.startsWith(name + ":")) {
        double a;
        try {
          a = Double.parseDouble(s.substring(name.length() + 1));
        } catch (NumberFormatException e) {
          a = Double.NaN;
        }
        if (a > 0 && a <= 1) {
          return new Smoothing(k, a);
        }
      }
    }
    throw new IllegalArgumentException("smoothing must be off, ema[:ALPHA] or vertices[:ALPHA] with 0 < ALPHA <= 1, "
        + "got " + spec);
  }

  /** Whether frames are smoothed at all. */
  public boolean on() {
    return kind != Kind.OFF && alpha < 1;
  }
}
