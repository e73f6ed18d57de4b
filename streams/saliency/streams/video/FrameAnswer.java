package saliency.streams.video;

import java.util.Objects;

/**
 * What a predictor answers for one frame: the completion's text (null for a baseline, which writes no text) and the
 * saliency map, {@code width*height} values in [0,1] at the frame's size; the map array is owned by the answer.
 */
public record FrameAnswer(String answer, double[] map) {
  public FrameAnswer {
    Objects.requireNonNull(map, "map");
  }
}
