package saliency.streams.video;

/**
 * Settings of a serving stream: {@code realtime} paces the source at {@code fps} and drops frames at the entry while
 * the predictor is busy (otherwise the source is backpressured and nothing is dropped); {@code maxFrames} (0: all)
 * caps the frames taken from the source; {@code bufferSize} bounds the frames waiting in front of the predictor and
 * in front of the sink.
 */
public record VideoSettings(boolean realtime, double fps, long maxFrames, int bufferSize) {
  public VideoSettings {
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    if (maxFrames < 0) {
      throw new IllegalArgumentException("maxFrames must be >= 0, got " + maxFrames);
    }
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, got " + bufferSize);
    }
  }
}
