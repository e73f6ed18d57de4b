package saliency.streams.video;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import saliency.streams.SubmitResult;
import saliency.streams.TrainingGraph;

/**
 * Online adaptation off a serving stream, one linear chain of named stages: learn-label -> learn-buffer -> (async)
 * learn-prepare -> the training graph's stages to gradients -> learner. Attach it with {@code wireTap}: serving never
 * waits for it; the buffer keeps the newest {@code bufferSize} labelled frames and drops the oldest when learning falls
 * behind. Counts the frames labelled (thread-safe); the stream owns the rest.
 *
 * @param <T> a labelled frame, made on the serving stream's thread (cheap)
 * @param <X> the training graph's input, prepared off it
 */
public final class LearningBranch<T, X> {
  private final Supplier<Function<FrameResult, Optional<T>>> labellers;
  private final int bufferSize;
  private final Function<T, CompletionStage<X>> prepare;
  private final TrainingGraph<X, ?> graph;
  private final AtomicLong labelled = new AtomicLong();

  /**
   * @param labellers a new labeller per materialization: the labelled frame for an answered one, or empty (no label:
   *     not learned from); called in frame order
   * @param prepare makes the training input of a labelled frame, off the serving stream (one at a time)
   */
  public LearningBranch(Supplier<Function<FrameResult, Optional<T>>> labellers, int bufferSize,
      Function<T, CompletionStage<X>> prepare, TrainingGraph<X, ?> graph) {
    this.labellers = Objects.requireNonNull(labellers, "labellers");
    this.prepare = Objects.requireNonNull(prepare, "prepare");
    this.graph = Objects.requireNonNull(graph, "graph");
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, got " + bufferSize);
    }
    this.bufferSize = bufferSize;
  }

  /** Frames labelled so far (taken into the buffer; those it dropped included). */
  public long labelled() {
    return labelled.get();
  }

  /** The training graph (its statistics count the frames learned from). */
  public TrainingGraph<X, ?> graph() {
    return graph;
  }

  /** The branch as a sink; materializes a kill switch (to stop learning) and the tally of learner answers. */
  public Sink<FrameResult, Pair<UniqueKillSwitch, CompletionStage<SubmitResult>>> sink() {
    Flow<FrameResult, T, NotUsed> label = Flow.<FrameResult>create()
        .<Function<FrameResult, Optional<T>>, Optional<T>>statefulMap(labellers::get,
            (l, r) -> Pair.create(l, l.apply(r)), l -> Optional.empty())
        .filter(Optional::isPresent)
        .map(o -> {
          labelled.incrementAndGet();
          return o.get();
        })
        .named("learn-label");
    return label
        .via(Flow.<T>create().buffer(bufferSize, OverflowStrategy.dropHead()).named("learn-buffer"))
        .async()
        .viaMat(KillSwitches.single(), Keep.right())
        .via(Flow.<T>create().mapAsync(1, prepare::apply).named("learn-prepare"))
        .via(graph.toGradients())
        .toMat(graph.learnerSink(), Keep.both());
  }
}
