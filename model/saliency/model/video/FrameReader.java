package saliency.model.video;

import java.util.List;
import java.util.Optional;

/**
 * A blocking, single-threaded reader of a video source's frames in presentation order; a frame that fails to decode is
 * skipped and counted ({@link #skips()}), never thrown. Not thread-safe: one thread reads it at a time.
 */
public interface FrameReader extends AutoCloseable {
  /** The next decodable frame, or empty at the end of the source; blocks while decoding. */
  Optional<VideoFrame> next();

  /** Frames per second of the source (its declared rate; a frame folder's configured rate). */
  double frameRate();

  /** One line per frame skipped so far (which frame, why), in order. */
  List<String> skips();

  /** A name of the source for messages. */
  String describe();

  /** Releases the decoder; idempotent. */
  @Override
  void close();
}
