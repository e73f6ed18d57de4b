package saliency.streams.video;

import java.util.Objects;

/**
 * What a predictor answers for one frame: the completion's text (null for a baseline, which writes no text), the
 * saliency map, {@code width*height} values in [0,1] at the frame's size, and the version of the policy that answered
 * ({@link #NO_VERSION} for a baseline or a fixed model); the map array is owned by the answer.
 */
public record FrameAnswer(String answer, double[] map, long version) {
  /** The version of an answer that no versioned policy gave. */
  public static final long NO_VERSION = -1;

  public FrameAnswer {
    Objects.requireNonNull(map, "map");
  }

  /** An answer of no versioned policy. */
  public FrameAnswer(String answer, double[] map) {
    this(answer, map, NO_VERSION);
  }

  /** The same answer with another map (a smoothed one). */
  public FrameAnswer withMap(double[] newMap) {
    return new FrameAnswer(answer, newMap, version);
  }
}
