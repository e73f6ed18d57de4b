package saliency.streams.video;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import saliency.model.video.VideoFrame;

/** Answers one frame at a time (the serving stream never calls it concurrently); a stage test hands it a fake. */
public interface FramePredictor {
  /** The answer for {@code frame}, completed when it is ready. */
  CompletionStage<FrameAnswer> predict(VideoFrame frame);

  /** A predictor that answers by blocking the calling thread (a TensorFlow session, a baseline). */
  interface Blocking {
    /** The answer for {@code frame}; may block. */
    FrameAnswer predict(VideoFrame frame) throws Exception;
  }

  /** {@code blocking} run on {@code executor} (a blocking dispatcher), so the stream's threads never wait on it. */
  static FramePredictor on(Executor executor, Blocking blocking) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(blocking, "blocking");
    return frame -> CompletableFuture.supplyAsync(() -> {
      try {
        return blocking.predict(frame);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, executor);
  }
}
