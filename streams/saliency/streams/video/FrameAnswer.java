package saliency.streams.video;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import saliency.model.train.Prepared;

/**
 * What a predictor answers for one frame: the completion's text (null for a baseline, which writes no text), the
 * saliency map, {@code width*height} values in [0,1] at the frame's size, and the version of the policy that answered
 * ({@link #NO_VERSION} for a baseline or a fixed model). The map may be drawn on first use ({@link #drawn}), so a
 * stream that writes only the answers never rasterizes one; the answer owns the map array once drawn.
 */
public final class FrameAnswer {
  /** The version of an answer that no versioned policy gave. */
  public static final long NO_VERSION = -1;

  private final String answer;
  private final long version;
  private final int mapLength;
  private final Prepared prepared;
  private Supplier<double[]> draw;
  private double[] map;

  private FrameAnswer(String answer, long version, int mapLength, double[] map, Supplier<double[]> draw,
      Prepared prepared) {
    this.answer = answer;
    this.version = version;
    this.mapLength = mapLength;
    this.map = map;
    this.draw = draw;
    this.prepared = prepared;
  }

  /** An answer whose map is already drawn. */
  public FrameAnswer(String answer, double[] map, long version) {
    this(answer, version, Objects.requireNonNull(map, "map").length, map, null, null);
  }

  /** An answer of no versioned policy. */
  public FrameAnswer(String answer, double[] map) {
    this(answer, map, NO_VERSION);
  }

  /**
   * An answer whose map of {@code mapLength} values {@code draw} makes on the first call of {@link #map()}, once
   * (on the caller's thread).
   */
  public static FrameAnswer drawn(String answer, long version, int mapLength, Supplier<double[]> draw) {
    return drawn(answer, version, mapLength, draw, null);
  }

  /** As {@link #drawn(String, long, int, Supplier)}, computed by a policy from {@code prepared} (null: unknown). */
  public static FrameAnswer drawn(String answer, long version, int mapLength, Supplier<double[]> draw,
      Prepared prepared) {
    Objects.requireNonNull(draw, "draw");
    if (mapLength < 0) {
      throw new IllegalArgumentException("negative map length " + mapLength);
    }
    return new FrameAnswer(answer, version, mapLength, null, draw, prepared);
  }

  /** The policy input the answer was computed from, when a policy gave it. */
  public Optional<Prepared> prepared() {
    return Optional.ofNullable(prepared);
  }

  /** The completion's text, null for a baseline. */
  public String answer() {
    return answer;
  }

  /** The policy version that answered, or {@link #NO_VERSION}. */
  public long version() {
    return version;
  }

  /** The number of values the map has (known before it is drawn). */
  public int mapLength() {
    return mapLength;
  }

  /**
   * The saliency map, drawn now if it was not yet.
   *
   * @throws IllegalStateException when the drawing gives a map of another length than announced
   */
  public synchronized double[] map() {
    if (map == null) {
      double[] m = draw.get();
      if (m == null || m.length != mapLength) {
        throw new IllegalStateException("drawn map has " + (m == null ? "no" : m.length) + " values, announced "
            + mapLength);
      }
      map = m;
      draw = null;
    }
    return map;
  }

  /** True once the map exists (given, or drawn by a call of {@link #map()}). */
  public synchronized boolean mapDrawn() {
    return map != null;
  }

  /** The same answer with another map (a smoothed one). */
  public FrameAnswer withMap(double[] newMap) {
    return new FrameAnswer(answer, version, Objects.requireNonNull(newMap, "newMap").length, newMap, null, prepared);
  }

  @Override
  public String toString() {
    return "FrameAnswer[answer=" + answer + ", version=" + version + ", map " + mapLength + " values"
        + (mapDrawn() ? "" : " (not drawn)") + "]";
  }
}
