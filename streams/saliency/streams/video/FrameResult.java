package saliency.streams.video;

import java.util.Objects;
import saliency.model.video.VideoFrame;

/** A frame with its answer and its latency (frame entering the serving stream to answer ready, nanoseconds). */
public record FrameResult(VideoFrame frame, FrameAnswer answer, long latencyNanos) {
  public FrameResult {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(answer, "answer");
    if (answer.map().length != frame.width() * frame.height()) {
      throw new IllegalArgumentException("map of " + answer.map().length + " values for a " + frame.width() + "x"
          + frame.height() + " frame " + frame.index());
    }
  }
}
