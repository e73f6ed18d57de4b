package saliency.model.video;

import java.util.Optional;
import saliency.model.geometry.Mask;

/** Ground-truth masks of a video's frames, where it has them; thread-safe. */
public interface FrameLabels {
  /** The ground-truth mask of {@code frame}, or empty when it has none (a gap: counted, not scored). */
  Optional<Mask> label(VideoFrame frame);

  /** A name of the labels for messages. */
  String describe();
}
