package saliency.streams.video;

import java.util.Objects;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;
import saliency.model.video.FrameReader;
import saliency.model.video.VideoFrame;

/** Sources of decoded video frames; stateless. */
public final class VideoSources {
  /** The blocking dispatcher decoding runs on (cluster-config/application.conf). */
  public static final String DISPATCHER = "saliency.video-dispatcher";

  private VideoSources() {}

  /**
   * The frames of a reader opened per materialization, decoded one per demand on {@code dispatcher} behind an async
   * boundary (so decoding never blocks the stream's other stages); the reader is closed when the stream ends, fails or
   * is cancelled.
   */
  public static Source<VideoFrame, NotUsed> frames(Supplier<? extends FrameReader> readers, String dispatcher) {
    Objects.requireNonNull(readers, "readers");
    Objects.requireNonNull(dispatcher, "dispatcher");
    return Source.<VideoFrame, FrameReader>unfoldResource(
            () -> Objects.requireNonNull(readers.get(), "reader"), FrameReader::next, FrameReader::close)
        .withAttributes(ActorAttributes.dispatcher(dispatcher))
        .named("decode")
        .async();
  }

  /** {@link #frames(Supplier, String)} on {@link #DISPATCHER}. */
  public static Source<VideoFrame, NotUsed> frames(Supplier<? extends FrameReader> readers) {
    return frames(readers, DISPATCHER);
  }
}
