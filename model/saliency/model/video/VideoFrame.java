package saliency.model.video;

import java.util.Objects;
import saliency.model.image.RgbImage;

/**
 * One decoded frame of a video source: its position in the source (0-based, counting frames that failed to decode),
 * its presentation timestamp in milliseconds from the start, and its pixels; immutable (the image owns its array).
 */
public record VideoFrame(long index, long ptsMs, RgbImage image) {
  public VideoFrame {
    Objects.requireNonNull(image, "image");
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
  }

  public int width() {
    return image.width();
  }

  public int height() {
    return image.height();
  }
}
