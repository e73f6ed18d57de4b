package saliency.actors.learner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import saliency.actors.serialization.MessageSizeGuard;
import saliency.actors.serialization.OversizedMessageException;
import saliency.actors.settings.SliceLayout;
import saliency.streams.Gradient;
import saliency.streams.LearnerClient;
import saliency.streams.SubmitResult;

/**
 * {@link LearnerClient} over the sharded learner: cuts a flat gradient into the layout's slices and sends each to its
 * entity; holds only immutable references (thread-safe).
 *
 * <p>Every slice message is size-checked (serialized) before any is sent; a slice over the frame limit fails the
 * returned stage with {@link OversizedMessageException} and nothing is sent. The stage completes when every slice
 * answered, with the counts of accepted, stale and rejected slices. Slices judge a gradient independently, so one
 * gradient may be applied by some slices and dropped by others (e.g. when their versions straddle the staleness
 * limit); a slice that does not answer within the timeout fails the stage, though other slices may have applied it.
 */
public final class ShardedLearnerClient implements LearnerClient, LearnerSubscriptions {
  private final SliceLayout layout;
  private final List<EntityRef<LearnerShard.Command>> slices;
  private final MessageSizeGuard guard;
  private final Duration timeout;

  public ShardedLearnerClient(ActorSystem<?> system, SliceLayout layout, MessageSizeGuard guard, Duration timeout) {
    this(system, LearnerShard.TYPE_KEY, layout, guard, timeout);
  }

  /** A client of the slices of entity type {@code key} (a clustered run's, see {@link LearnerShard#typeKey}). */
  public ShardedLearnerClient(ActorSystem<?> system, EntityTypeKey<LearnerShard.Command> key, SliceLayout layout,
      MessageSizeGuard guard, Duration timeout) {
    Objects.requireNonNull(key, "key");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    List<EntityRef<LearnerShard.Command>> refs = new ArrayList<>(layout.slices());
    for (int i = 0; i < layout.slices(); i++) {
      refs.add(LearnerShard.entityRef(system, key, i));
    }
    this.slices = List.copyOf(refs);
  }

  @Override
  public CompletionStage<SubmitResult> submit(Gradient gradient) {
    if (gradient.baseVersion().slices() != layout.slices()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("gradient base version has "
          + gradient.baseVersion().slices() + " slices, the learner has " + layout.slices()));
    }
    List<LearnerShard.GradientSlice> parts = new ArrayList<>(layout.slices());
    try {
      for (int i = 0; i < layout.slices(); i++) {
        LearnerShard.GradientSlice part = new LearnerShard.GradientSlice(i, layout.cut(gradient.values(), i),
            gradient.baseVersion().slice(i), gradient.sampleCount(), null);
        guard.check(part);
        parts.add(part);
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletionStage<SubmitResult> total = CompletableFuture.completedFuture(SubmitResult.NONE);
    for (LearnerShard.GradientSlice p : parts) {
      CompletionStage<LearnerShard.GradientProcessed> ack = slices.get(p.sliceIndex()).ask(
          (ActorRef<LearnerShard.GradientProcessed> replyTo) ->
              new LearnerShard.GradientSlice(p.sliceIndex(), p.grad(), p.baseVersion(), p.sampleCount(), replyTo),
          timeout);
      total = total.thenCombine(ack, (t, a) -> t.plus(count(a)));
    }
    return total;
  }

  private static SubmitResult count(LearnerShard.GradientProcessed a) {
    return switch (a.outcome()) {
      case ACCEPTED -> new SubmitResult(1, 0, 0);
      case STALE -> new SubmitResult(0, 1, 0);
      default -> new SubmitResult(0, 0, 1);
    };
  }

  @Override
  public void subscribe(ActorRef<LearnerShard.SlicePublished> subscriber) {
    for (EntityRef<LearnerShard.Command> s : slices) {
      s.tell(new LearnerShard.Subscribe(subscriber));
    }
  }

  /** Sends each slice its part of {@code flat} as initial weights (ignored by slices that already have weights). */
  public void initialize(float[] flat) {
    for (int i = 0; i < layout.slices(); i++) {
      LearnerShard.Initialize init = new LearnerShard.Initialize(layout.cut(flat, i), null);
      guard.check(init);
      slices.get(i).tell(init);
    }
  }

  /**
   * Sends each slice its part of {@code flat} as initial weights and completes with every slice's version once all
   * answered (slices that already had weights, restored from a checkpoint, keep them and answer their version).
   */
  public CompletionStage<long[]> seed(float[] flat) {
    long[] versions = new long[layout.slices()];
    CompletionStage<long[]> all = CompletableFuture.completedFuture(versions);
    for (int i = 0; i < layout.slices(); i++) {
      float[] part = layout.cut(flat, i);
      guard.check(new LearnerShard.Initialize(part, null));
      CompletionStage<LearnerShard.Initialized> ack = slices.get(i).ask(
          (ActorRef<LearnerShard.Initialized> replyTo) -> new LearnerShard.Initialize(part, replyTo), timeout);
      all = all.thenCombine(ack, (v, a) -> {
        v[a.sliceIndex()] = a.version();
        return v;
      });
    }
    return all;
  }

  /** The flat weights and each slice's version, gathered from every slice. */
  public record Gathered(float[] weights, long[] versions) {}

  /**
   * Gathers every slice's weights and version; with {@code checkpoint} each slice writes its checkpoint first. Fails
   * when a slice has no weights or does not answer within the timeout.
   */
  public CompletionStage<Gathered> gather(boolean checkpoint) {
    Gathered g = new Gathered(new float[layout.parameterCount()], new long[layout.slices()]);
    CompletionStage<Gathered> all = CompletableFuture.completedFuture(g);
    for (int i = 0; i < layout.slices(); i++) {
      CompletionStage<LearnerShard.SliceState> st = slices.get(i).ask(
          (ActorRef<LearnerShard.SliceState> replyTo) ->
              checkpoint ? new LearnerShard.WriteCheckpoint(replyTo) : new LearnerShard.GetSlice(replyTo),
          timeout);
      all = all.thenCombine(st, (acc, state) -> {
        if (!state.initialized()) {
          throw new IllegalStateException("learner slice " + state.sliceIndex() + " has no weights");
        }
        System.arraycopy(state.weights(), 0, acc.weights(), state.offset(), state.weights().length);
        acc.versions()[state.sliceIndex()] = state.version();
        return acc;
      });
    }
    return all;
  }

  /** Every slice's counters, in slice order. */
  public CompletionStage<List<LearnerShard.Stats>> stats() {
    CompletionStage<List<LearnerShard.Stats>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (EntityRef<LearnerShard.Command> s : slices) {
      CompletionStage<LearnerShard.Stats> st = s.ask(LearnerShard.GetStats::new, timeout);
      all = all.thenCombine(st, (acc, x) -> {
        acc.add(x);
        return acc;
      });
    }
    return all;
  }

  public SliceLayout layout() {
    return layout;
  }
}
