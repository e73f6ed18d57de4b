package saliency.streams.video;

import java.time.Duration;
import java.util.Objects;
import saliency.model.video.Smoothing;

/**
 * Settings of a serving stream: {@code realtime} paces the source at {@code fps} and drops frames at the entry while
 * the predictor is busy (otherwise the source is backpressured and nothing is dropped); {@code maxFrames} (0: all)
 * caps the frames taken from the source; {@code bufferSize} bounds the frames waiting in front of the predictor and
 * in front of the sink; {@code smoothing} averages the maps or the polygon vertices over frames
 * ({@link Smoothing}); {@code batch} consecutive
 * frames (those that arrive within {@code batchWait}) go to the predictor in one call, 1 sends each frame alone;
 * {@code parallelism} predictor calls may be in flight at once (answers stay in frame order).
 */
public record VideoSettings(boolean realtime, double fps, long maxFrames, int bufferSize, Smoothing smoothing, int batch,
    Duration batchWait, int parallelism) {
  /** Settings without smoothing, one frame per call. */
  public VideoSettings(boolean realtime, double fps, long maxFrames, int bufferSize) {
    this(realtime, fps, maxFrames, bufferSize, Smoothing.OFF);
  }

  /** Settings with one frame per call, one call at a time. */
  public VideoSettings(boolean realtime, double fps, long maxFrames, int bufferSize, Smoothing smoothing) {
    this(realtime, fps, maxFrames, bufferSize, smoothing, 1, Duration.ZERO, 1);
  }

  public VideoSettings {
    Objects.requireNonNull(batchWait, "batchWait");
    Objects.requireNonNull(smoothing, "smoothing");
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    if (maxFrames < 0) {
      throw new IllegalArgumentException("maxFrames must be >= 0, got " + maxFrames);
    }
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, got " + bufferSize);
    }
    if (batch < 1 || parallelism < 1) {
      throw new IllegalArgumentException("batch and parallelism must be >= 1, got " + batch + ", " + parallelism);
    }
    if (batchWait.isNegative()) {
      throw new IllegalArgumentException("batchWait must be >= 0, got " + batchWait);
    }
  }

  /** These settings taking at most {@code n} frames of the source. */
  public VideoSettings withMaxFrames(long n) {
    return new VideoSettings(realtime, fps, n, bufferSize, smoothing, batch, batchWait, parallelism);
  }

  /** These settings without pacing or drops. */
  public VideoSettings notPaced() {
    return new VideoSettings(false, fps, maxFrames, bufferSize, smoothing, batch, batchWait, parallelism);
  }

  /** These settings with {@code batch} frames per call gathered within {@code wait}, {@code parallel} calls at once. */
  public VideoSettings withBatching(int batch, Duration wait, int parallel) {
    return new VideoSettings(realtime, fps, maxFrames, bufferSize, smoothing, batch, wait, parallel);
  }
}
