package saliency.actors.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.GradientResult;
import saliency.streams.PolicyClient;
import saliency.streams.Sampled;

/**
 * {@link PolicyClient} over one or more policy actors, requests spread round-robin; holds only the round-robin
 * counter (thread-safe).
 */
public final class PolicyActorClient<X> implements PolicyClient<X> {
  private final List<ActorRef<PolicyActor.Command>> policies;
  private final Duration timeout;
  private final Scheduler scheduler;
  private final AtomicLong next = new AtomicLong();

  public PolicyActorClient(List<ActorRef<PolicyActor.Command>> policies, Duration timeout, Scheduler scheduler) {
    this.policies = List.copyOf(Objects.requireNonNull(policies, "policies"));
    if (this.policies.isEmpty()) {
      throw new IllegalArgumentException("at least one policy actor is needed");
    }
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  private ActorRef<PolicyActor.Command> pick() {
    return policies.get((int) Math.floorMod(next.getAndIncrement(), (long) policies.size()));
  }

  @Override
  public CompletionStage<Sampled> sample(X input, int count) {
    CompletionStage<PolicyActor.Sampled> r = AskPattern.askWithStatus(pick(),
        replyTo -> new PolicyActor.SampleRequest<>(input, count, replyTo), timeout, scheduler);
    return r.thenApply(s -> new Sampled(List.of(s.completions()), s.version()));
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<List<Sampled>> sampleBatch(List<X> inputs, int count) {
    X[] array = (X[]) inputs.toArray();
    CompletionStage<PolicyActor.SampledBatch> r = AskPattern.askWithStatus(pick(),
        replyTo -> new PolicyActor.SampleBatchRequest<>(array, count, replyTo), timeout, scheduler);
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
    CompletionStage<PolicyActor.SampledBatch> r = AskPattern.askWithStatus(pick(),
        replyTo -> new PolicyActor.GreedyBatchRequest<>(array, replyTo), timeout, scheduler);
    return r.thenApply(PolicyActorClient::perInput);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<GradientResult> gradients(List<GradientExample<X>> batch) {
    GradientExample<X>[] array = batch.toArray(new GradientExample[0]);
    CompletionStage<PolicyActor.GradientsComputed> r = AskPattern.askWithStatus(pick(),
        replyTo -> new PolicyActor.GradientRequest<>(array, replyTo), timeout, scheduler);
    return r.thenApply(g -> new GradientResult(g.gradient(), g.loss()));
  }
}
