package saliency.streams.video;

import java.util.Objects;
import saliency.model.video.VideoFrame;

/**
 * A frame with its answer, its latency (frame entering the serving stream to answer ready, nanoseconds) and the time
 * it entered the serving stream on the stream's clock ({@link #UNKNOWN} when not known).
 */
public record FrameResult(VideoFrame frame, FrameAnswer answer, long latencyNanos, long enteredNanos) {
  /** The entry time of a result made outside a serving stream. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  public FrameResult {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(answer, "answer");
    if (answer.mapLength() != frame.width() * frame.height()) {
      throw new IllegalArgumentException("map of " + answer.mapLength() + " values for a " + frame.width() + "x"
          + frame.height() + " frame " + frame.index());
    }
  }

  /** A result whose entry time is not known. */
  public FrameResult(VideoFrame frame, FrameAnswer answer, long latencyNanos) {
    this(frame, answer, latencyNanos, UNKNOWN);
  }

  /** The same result with another answer. */
  public FrameResult withAnswer(FrameAnswer a) {
    return new FrameResult(frame, a, latencyNanos, enteredNanos);
  }
}
