package saliency.streams.video;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import saliency.model.video.VideoFrame;

/**
 * Answers frames, one or a batch of consecutive frames per call (the serving stream calls it from one stage, at most
 * its configured parallelism at a time); a stage test hands it a fake.
 */
public interface FramePredictor {
  /** The answer for {@code frame}, completed when it is ready. */
  CompletionStage<FrameAnswer> predict(VideoFrame frame);

  /**
   * The answers for consecutive {@code frames}, in order; a predictor that batches its device calls overrides this.
   * The default asks {@link #predict} for each frame after the previous one.
   */
  default CompletionStage<List<FrameAnswer>> predictBatch(List<VideoFrame> frames) {
    CompletionStage<List<FrameAnswer>> all = CompletableFuture.completedFuture(new ArrayList<>(frames.size()));
    for (VideoFrame f : frames) {
      all = all.thenCompose(list -> predict(f).thenApply(a -> {
        list.add(a);
        return list;
      }));
    }
    return all;
  }

  /**
   * {@code predictor} made slower: each answer is handed on after {@code delay} of sleep ({@code delay} times the frames
   * of a batch) on {@code sleeper}; one thread there makes the delays add up, as in a model that slow. {@code predictor}
   * itself for a zero delay.
   */
  static FramePredictor delayed(FramePredictor predictor, Duration delay, Executor sleeper) {
    Objects.requireNonNull(predictor, "predictor");
    Objects.requireNonNull(sleeper, "sleeper");
    if (delay.isZero()) {
      return predictor;
    }
    return new FramePredictor() {
      @Override
      public CompletionStage<FrameAnswer> predict(VideoFrame frame) {
        return predictor.predict(frame).thenApplyAsync(a -> sleep(delay, a), sleeper);
      }

      @Override
      public CompletionStage<List<FrameAnswer>> predictBatch(List<VideoFrame> frames) {
        return predictor.predictBatch(frames).thenApplyAsync(a -> sleep(delay.multipliedBy(frames.size()), a),
            sleeper);
      }
    };
  }

  private static <T> T sleep(Duration d, T value) {
    try {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
    return value;
  }

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
