package saliency.actors.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.GradientResult;
import saliency.streams.PolicyClient;
import saliency.streams.Sampled;

/**
 * {@link PolicyClient} over one or more policy actors; each request goes to the actor with the least work queued
 * (requests weighted by their rows, a gradient row counting {@link #GRADIENT_WEIGHT} sample rows), ties broken
 * round-robin. Holds only those counters (thread-safe).
 *
 * <p>Blind round-robin queued a sample batch behind a gradient on one actor while the other sat idle; by queued work
 * both actors stay busy.
 */
public final class PolicyActorClient<X> implements PolicyClient<X> {
  private final List<ActorRef<PolicyActor.Command>> policies;
  private final Duration timeout;
  private final Scheduler scheduler;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLongArray queued;

  /** Cost of one gradient row in sample rows: a gradient batch took about four times as long as sampling it. */
  static final int GRADIENT_WEIGHT = 4;

  public PolicyActorClient(List<ActorRef<PolicyActor.Command>> policies, Duration timeout, Scheduler scheduler) {
    this.policies = List.copyOf(Objects.requireNonNull(policies, "policies"));
    if (this.policies.isEmpty()) {
      throw new IllegalArgumentException("at least one policy actor is needed");
    }
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.queued = new AtomicLongArray(this.policies.size());
  }

  /** Index of the actor with the least queued work, starting the scan at the round-robin position. */
  private int pick() {
    int n = policies.size();
    int start = (int) Math.floorMod(next.getAndIncrement(), (long) n);
    int best = start;
    for (int k = 1; k < n; k++) {
      int i = (start + k) % n;
      if (queued.get(i) < queued.get(best)) {
        best = i;
      }
    }
    return best;
  }

  /** Sends {@code request} to the least loaded actor, counting {@code cost} as queued there until it is answered. */
  private <T> CompletionStage<T> ask(long cost, java.util.function.Function<ActorRef<StatusReply<T>>,
      PolicyActor.Command> request) {
    int i = pick();
    queued.addAndGet(i, cost);
    CompletionStage<T> r = AskPattern.askWithStatus(policies.get(i), request::apply, timeout, scheduler);
    // the ask's stage turns every plain callback into an async one on the common pool, which on 2 cores starts a
    // thread per callback: complete a plain future on the replying thread instead, and chain on that
    CompletableFuture<T> out = new CompletableFuture<>();
    r.whenCompleteAsync((v, e) -> {
      queued.addAndGet(i, -cost);
      if (e != null) {
        out.completeExceptionally(e);
      } else {
        out.complete(v);
      }
    }, Runnable::run);
    return out;
  }

  @Override
  public CompletionStage<Sampled> sample(X input, int count) {
    CompletionStage<PolicyActor.Sampled> r =
        ask(count, replyTo -> new PolicyActor.SampleRequest<>(input, count, replyTo));
    return r.thenApply(s -> new Sampled(List.of(s.completions()), s.version()));
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<List<Sampled>> sampleBatch(List<X> inputs, int count) {
    X[] array = (X[]) inputs.toArray();
    CompletionStage<PolicyActor.SampledBatch> r =
        ask((long) array.length * count, replyTo -> new PolicyActor.SampleBatchRequest<>(array, count, replyTo));
    return r.thenApply(PolicyActorClient::perInput);
  }

  private static List<Sampled> perInput(PolicyActor.SampledBatch b) {
    List<Sampled> out = new ArrayList<>(b.completions().length);
    for (Completion[] c : b.completions()) {
      out.add(new Sampled(List.of(c), b.version()));
    }
    return out;
  }

  /**
   * The greedy completion for each of {@code inputs} (one answer per input, in order) in one policy call, with the
   * version of the weights that produced them.
   */
  @SuppressWarnings("unchecked")
  public CompletionStage<List<Sampled>> greedyBatch(List<X> inputs) {
    X[] array = (X[]) inputs.toArray();
    CompletionStage<PolicyActor.SampledBatch> r =
        ask(array.length, replyTo -> new PolicyActor.GreedyBatchRequest<>(array, replyTo));
    return r.thenApply(PolicyActorClient::perInput);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<GradientResult> gradients(List<GradientExample<X>> batch) {
    GradientExample<X>[] array = batch.toArray(new GradientExample[0]);
    CompletionStage<PolicyActor.GradientsComputed> r = ask((long) array.length * GRADIENT_WEIGHT,
        replyTo -> new PolicyActor.GradientRequest<>(array, replyTo));
    return r.thenApply(g -> new GradientResult(g.gradient(), g.loss()));
  }
}
