package saliency.streams.video;

/**
 * Settings of a serving stream: {@code realtime} paces the source at {@code fps} and drops frames at the entry while
 * the predictor is busy (otherwise the source is backpressured and nothing is dropped); {@code maxFrames} (0: all)
 * caps the frames taken from the source; {@code bufferSize} bounds the frames waiting in front of the predictor and
 * in front of the sink; {@code emaAlpha} below 1 smooths the maps over frames (an exponential moving average with that
 * weight on the newest frame, see {@link saliency.model.video.MaskSmoother}), 1 is off.
 */
public record VideoSettings(boolean realtime, double fps, long maxFrames, int bufferSize, double emaAlpha) {
  /** Settings without smoothing. */
  public VideoSettings(boolean realtime, double fps, long maxFrames, int bufferSize) {
    this(realtime, fps, maxFrames, bufferSize, 1);
  }

  public VideoSettings {
    if (!(emaAlpha > 0 && emaAlpha <= 1)) {
      throw new IllegalArgumentException("emaAlpha must be in (0, 1], got " + emaAlpha);
    }
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
