package saliency.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import saliency.actors.learner.LearnerShard;
import saliency.actors.learner.ShardedLearnerClient;
import saliency.actors.policy.PolicyActor;
import saliency.actors.policy.PolicyActorClient;
import saliency.actors.policy.PolicyBackend;
import saliency.actors.serialization.MessageSizeGuard;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;

/**
 * Root actor of a training node: joins the cluster (self-join when configured), starts the sharded learner for the
 * policy's slice layout, seeds the slices with policy 0's initial weights (slices restored from a checkpoint keep
 * theirs), spawns {@code saliency.policy.count} policy actors on the TensorFlow dispatcher, and passes on the learner
 * slices' checkpoint failures; owns those children.
 */
public final class Guardian<X> extends AbstractBehavior<Guardian.Command> {

  /** Messages of the guardian (local only). */
  public sealed interface Command permits GetWiring {}

  /** Asks for the wired parts, to build the training graph on. */
  public record GetWiring(ActorRef<Wiring> replyTo) implements Command {}

  /**
   * The wired parts of this node.
   *
   * @param layout the learner's slice layout
   * @param policies the policy actors, one per device
   * @param learner the client that submits gradients to the learner slices
   */
  public record Wiring(SliceLayout layout, List<ActorRef<PolicyActor.Command>> policies, ShardedLearnerClient learner) {
    public Wiring {
      policies = List.copyOf(policies);
    }

    /** A policy client spreading requests over this node's policy actors. */
    public <X> PolicyActorClient<X> policyClient(ActorSystem<?> system, Duration timeout) {
      return new PolicyActorClient<>(policies, timeout, system.scheduler());
    }
  }

  /**
   * @param backends makes the backend of device {@code i} ({@code 0 <= i < saliency.policy.count}); all must have the
   *     same parameter count
   */
  public static <X> Behavior<Command> create(SaliencySettings settings, IntFunction<PolicyBackend<X>> backends) {
    return create(settings, backends, f -> {});
  }

  /**
   * As {@link #create(SaliencySettings, IntFunction)}; {@code onCheckpointFailed} hears, on an actor's thread, of each
   * learner slice of this node that could not write its checkpoint (subscribed before any slice starts).
   */
  public static <X> Behavior<Command> create(SaliencySettings settings, IntFunction<PolicyBackend<X>> backends,
      Consumer<LearnerShard.CheckpointFailed> onCheckpointFailed) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(backends, "backends");
    Objects.requireNonNull(onCheckpointFailed, "onCheckpointFailed");
    return Behaviors.setup(ctx -> new Guardian<>(ctx, settings, backends, onCheckpointFailed));
  }

  private final Wiring wiring;

  private Guardian(ActorContext<Command> ctx, SaliencySettings settings, IntFunction<PolicyBackend<X>> backends,
      Consumer<LearnerShard.CheckpointFailed> onCheckpointFailed) {
    super(ctx);
    ActorRef<LearnerShard.CheckpointFailed> failures = ctx.spawn(
        Behaviors.receive(LearnerShard.CheckpointFailed.class)
            .onMessage(LearnerShard.CheckpointFailed.class, f -> {
              onCheckpointFailed.accept(f);
              return Behaviors.same();
            })
            .build(), "checkpoint-failures");
    ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(LearnerShard.CheckpointFailed.class, failures));
    if (settings.selfJoin()) {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    List<PolicyBackend<X>> made = new ArrayList<>();
    for (int i = 0; i < settings.policy().count(); i++) {
      made.add(Objects.requireNonNull(backends.apply(i), "backend " + i));
    }
    int p = made.get(0).parameterCount();
    for (int i = 1; i < made.size(); i++) {
      if (made.get(i).parameterCount() != p) {
        throw new IllegalArgumentException("policy backend " + i + " has " + made.get(i).parameterCount()
            + " parameters, backend 0 has " + p);
      }
    }
    SliceLayout layout = settings.layout(p);
    if (layout.slices() != settings.learner().slices()) {
      ctx.getLog().info("learner slices raised from {} to {} so that {} parameters fit {}-byte messages",
          settings.learner().slices(), layout.slices(), p, settings.messageSizeLimit());
    }
    LearnerShard.initSharding(ctx.getSystem(), settings, layout);
    MessageSizeGuard guard = new MessageSizeGuard(ctx.getSystem(), settings.messageSizeLimit(),
        settings.serialization().checkSize());
    ShardedLearnerClient learner = new ShardedLearnerClient(ctx.getSystem(), layout, guard,
        settings.policy().askTimeout());
    learner.initialize(made.get(0).flatWeights());
    List<ActorRef<PolicyActor.Command>> policies = new ArrayList<>();
    for (int i = 0; i < made.size(); i++) {
      policies.add(ctx.spawn(
          PolicyActor.create(made.get(i), layout.slices(), learner, settings.policy().resubscribeInterval()),
          "policy-" + i, DispatcherSelector.fromConfig(SaliencySettings.TF_DISPATCHER)));
    }
    this.wiring = new Wiring(layout, policies, learner);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetWiring.class, m -> {
          m.replyTo().tell(wiring);
          return this;
        })
        .build();
  }
}
