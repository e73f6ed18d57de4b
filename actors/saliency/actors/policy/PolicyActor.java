package saliency.actors.policy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import saliency.actors.learner.LearnerShard;
import saliency.actors.learner.LearnerSubscriptions;
import saliency.actors.serialization.KryoSerializable;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.GradientResult;
import saliency.streams.LatencyHistogram;
import saliency.streams.PolicyVersion;

/**
 * Serves one {@link PolicyBackend} (one device): sampling, scoring and gradients, one request at a time; owns the
 * backend and the version of each weight slice it holds, and swaps in slices as the learner publishes them: its
 * {@link SliceInbox} child takes the publications on the default dispatcher and the actor swaps the newest pending
 * version of each slice in before every backend call (and when idle), so an update waits for at most the call
 * running, not behind the requests queued in the mailbox.
 *
 * <p>Spawn it on the blocking dispatcher ({@code DispatcherSelector.fromConfig(SaliencySettings.TF_DISPATCHER)}):
 * backend calls block. A slice is swapped in when its published version is newer than the one held; every reply
 * carries the {@link PolicyVersion} (per-slice versions) the answer was computed with. A slice never received counts
 * as version 0 (the initial weights). A failing backend call answers that request with an error; the actor keeps
 * serving.
 */
public final class PolicyActor<X> extends AbstractBehavior<PolicyActor.Command> {

  /** Messages a policy actor accepts. */
  public sealed interface Command extends KryoSerializable
      permits SampleRequest, SampleBatchRequest, GreedyBatchRequest, ScoreRequest, GradientRequest, GetVersion, SliceArrived, SlicesPending, Resubscribe {}

  /** Sample {@code count} completions for {@code input}. */
  public record SampleRequest<X>(X input, int count, ActorRef<StatusReply<Sampled>> replyTo) implements Command {
    public SampleRequest {
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** Sample {@code count} completions for each of {@code inputs} in one backend call. */
  public record SampleBatchRequest<X>(X[] inputs, int count, ActorRef<StatusReply<SampledBatch>> replyTo)
      implements Command {
    public SampleBatchRequest {
      Objects.requireNonNull(inputs, "inputs");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** The greedy completion for each of {@code inputs} in one backend call (serving). */
  public record GreedyBatchRequest<X>(X[] inputs, ActorRef<StatusReply<SampledBatch>> replyTo) implements Command {
    public GreedyBatchRequest {
      Objects.requireNonNull(inputs, "inputs");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** Per-token log-probabilities of {@code completions} for {@code input}. */
  public record ScoreRequest<X>(X input, int[][] completions, ActorRef<StatusReply<Scored>> replyTo)
      implements Command {}

  /** Flat gradient of the policy loss over {@code batch}. */
  public record GradientRequest<X>(GradientExample<X>[] batch, ActorRef<StatusReply<GradientsComputed>> replyTo)
      implements Command {}

  public record GetVersion(ActorRef<VersionReport> replyTo) implements Command {}

  /** Internal: a slice published by the learner (through the message adapter). */
  public record SliceArrived(LearnerShard.SlicePublished slice) implements Command {}

  /** From the actor's {@link SliceInbox}: newer slices wait there to be swapped in. */
  public record SlicesPending() implements Command {}

  /** Internal: timer tick to re-subscribe to the learner. */
  public record Resubscribe() implements Command {}

  /** Replies of a policy actor. */
  public sealed interface Reply extends KryoSerializable permits Sampled, SampledBatch, Scored, GradientsComputed,
      VersionReport {}

  public record Sampled(Completion[] completions, PolicyVersion version) implements Reply {}

  /** Completions per input ({@code completions[i]} answers input i), all from weights {@code version}. */
  public record SampledBatch(Completion[][] completions, PolicyVersion version) implements Reply {}

  public record Scored(float[][] tokenLogProbs, PolicyVersion version) implements Reply {}

  public record GradientsComputed(float[] gradient, double loss, PolicyVersion version) implements Reply {}

  /** The held version and how many published slices were swapped in / ignored as not newer. */
  public record VersionReport(PolicyVersion version, long slicesSwapped, long slicesIgnored) implements Reply {}

  /**
   * A policy actor, restarted on failure (it then re-subscribes and receives every slice again).
   *
   * @param slices N, the learner's slice count
   * @param resubscribeInterval how often to re-subscribe (survives learner slice restarts and rebalancing)
   */
  public static <X> Behavior<Command> create(PolicyBackend<X> backend, int slices, LearnerSubscriptions learner,
      Duration resubscribeInterval) {
    return create(backend, slices, learner, resubscribeInterval, new LatencyHistogram());
  }

  /**
   * As {@link #create(PolicyBackend, int, LearnerSubscriptions, Duration)}, counting into {@code publication} the
   * time from each slice update's publication to its swap into this actor's weights (shared by a node's actors).
   */
  public static <X> Behavior<Command> create(PolicyBackend<X> backend, int slices, LearnerSubscriptions learner,
      Duration resubscribeInterval, LatencyHistogram publication) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(learner, "learner");
    Objects.requireNonNull(publication, "publication");
    Behavior<Command> b = Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new PolicyActor<>(ctx, timers, backend, slices, learner, resubscribeInterval, publication)));
    return Behaviors.supervise(b).onFailure(Exception.class, SupervisorStrategy.restart());
  }

  private final PolicyBackend<X> backend;
  private final LearnerSubscriptions learner;
  private final ActorRef<LearnerShard.SlicePublished> sliceAdapter;
  private final SliceInbox.Pending pending;
  private final long[] held;
  private final LatencyHistogram publication;
  private long swapped;
  private long ignored;

  private PolicyActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, PolicyBackend<X> backend,
      int slices, LearnerSubscriptions learner, Duration resubscribeInterval, LatencyHistogram publication) {
    super(ctx);
    this.publication = publication;
    if (slices < 1) {
      throw new IllegalArgumentException("slices must be >= 1: " + slices);
    }
    this.backend = backend;
    this.learner = learner;
    this.held = new long[slices];
    Arrays.fill(held, -1);
    this.pending = new SliceInbox.Pending(slices);
    this.sliceAdapter = ctx.spawn(SliceInbox.create(pending, ctx.getSelf()), "slices",
        DispatcherSelector.defaultDispatcher());
    learner.subscribe(sliceAdapter);
    timers.startTimerWithFixedDelay(new Resubscribe(), Objects.requireNonNull(resubscribeInterval));
  }

  private PolicyVersion version() {
    long[] v = new long[held.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.max(0, held[i]);
    }
    return new PolicyVersion(v);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SampleRequest.class, m -> onSample((SampleRequest<X>) m))
        .onMessage(SampleBatchRequest.class, m -> onSampleBatch((SampleBatchRequest<X>) m))
        .onMessage(GreedyBatchRequest.class, m -> onGreedyBatch((GreedyBatchRequest<X>) m))
        .onMessage(ScoreRequest.class, m -> onScore((ScoreRequest<X>) m))
        .onMessage(GradientRequest.class, m -> onGradients((GradientRequest<X>) m))
        .onMessage(GetVersion.class, this::onGetVersion)
        .onMessage(SliceArrived.class, this::onSlice)
        .onMessage(SlicesPending.class, m -> {
          swapPending();
          return this;
        })
        .onMessage(Resubscribe.class, m -> {
          learner.subscribe(sliceAdapter);
          return this;
        })
        .onSignal(PostStop.class, s -> {
          backend.close();
          return this;
        })
        .build();
  }

  private Behavior<Command> onSample(SampleRequest<X> m) {
    swapPending();
    try {
      List<Completion> out = backend.sample(m.input(), m.count());
      m.replyTo().tell(StatusReply.success(new Sampled(out.toArray(new Completion[0]), version())));
    } catch (RuntimeException e) {
      fail("sample", e, m.replyTo());
    }
    return this;
  }

  private Behavior<Command> onSampleBatch(SampleBatchRequest<X> m) {
    swapPending();
    try {
      List<List<Completion>> out = backend.sampleBatch(List.of(m.inputs()), m.count());
      if (out.size() != m.inputs().length) {
        throw new IllegalStateException(
            "backend answered " + out.size() + " of " + m.inputs().length + " inputs");
      }
      Completion[][] array = new Completion[out.size()][];
      for (int i = 0; i < array.length; i++) {
        array[i] = out.get(i).toArray(new Completion[0]);
      }
      m.replyTo().tell(StatusReply.success(new SampledBatch(array, version())));
    } catch (RuntimeException e) {
      fail("sample", e, m.replyTo());
    }
    return this;
  }

  private Behavior<Command> onGreedyBatch(GreedyBatchRequest<X> m) {
    swapPending();
    try {
      List<Completion> out = backend.greedyBatch(List.of(m.inputs()));
      if (out.size() != m.inputs().length) {
        throw new IllegalStateException("backend answered " + out.size() + " of " + m.inputs().length + " inputs");
      }
      Completion[][] array = new Completion[out.size()][];
      for (int i = 0; i < array.length; i++) {
        array[i] = new Completion[] {out.get(i)};
      }
      m.replyTo().tell(StatusReply.success(new SampledBatch(array, version())));
    } catch (RuntimeException e) {
      fail("greedy", e, m.replyTo());
    }
    return this;
  }

  private Behavior<Command> onScore(ScoreRequest<X> m) {
    swapPending();
    try {
      m.replyTo().tell(StatusReply.success(new Scored(backend.score(m.input(), m.completions()), version())));
    } catch (RuntimeException e) {
      fail("score", e, m.replyTo());
    }
    return this;
  }

  private Behavior<Command> onGradients(GradientRequest<X> m) {
    swapPending();
    try {
      GradientResult r = backend.gradients(List.of(m.batch()));
      if (r.gradient().length != backend.parameterCount()) {
        throw new IllegalStateException("backend returned a gradient of " + r.gradient().length + " floats, expected "
            + backend.parameterCount());
      }
      m.replyTo().tell(StatusReply.success(new GradientsComputed(r.gradient(), r.loss(), version())));
    } catch (RuntimeException e) {
      fail("gradients", e, m.replyTo());
    }
    return this;
  }

  private void fail(String what, RuntimeException e, ActorRef<? extends StatusReply<?>> replyTo) {
    getContext().getLog().warn("policy {} failed: {}", what, e.toString());
    @SuppressWarnings("unchecked")
    ActorRef<StatusReply<Object>> r = (ActorRef<StatusReply<Object>>) (ActorRef<?>) replyTo;
    r.tell(StatusReply.error(what + " failed: " + e));
  }

  private Behavior<Command> onGetVersion(GetVersion m) {
    swapPending();
    m.replyTo().tell(new VersionReport(version(), swapped, ignored + pending.superseded()));
    return this;
  }

  /** Swaps in every slice waiting in the inbox (the newest version of each). */
  private void swapPending() {
    pending.drain(this::swap);
  }

  private Behavior<Command> onSlice(SliceArrived m) {
    swap(m.slice());
    return this;
  }

  private void swap(LearnerShard.SlicePublished s) {
    int i = s.sliceIndex();
    if (i < 0 || i >= held.length || s.offset() < 0
        || (long) s.offset() + s.weights().length > backend.parameterCount()) {
      ignored++;
      getContext().getLog().error("policy: ignored slice {} [{}, +{}) outside {} slices / {} parameters", i,
          s.offset(), s.weights().length, held.length, backend.parameterCount());
      return;
    }
    if (s.version() > held[i]) {
      backend.setSlice(s.offset(), s.weights());
      held[i] = s.version();
      swapped++;
      if (s.updatedAtMillis() > 0) {
        publication.add((System.currentTimeMillis() - s.updatedAtMillis()) * 1_000_000L);
      }
    } else {
      ignored++;
    }
  }
}
