package saliency.actors.cluster;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.Cluster;
import saliency.actors.learner.LearnerShard;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;

/**
 * Root actor of a {@code node} process: spawns a {@link MemberLog} printing the node's membership lines and the
 * node's {@link NodeWorker}, which takes the runs of {@code train --cluster} drivers (their learner slices, and on a
 * {@code policy} node their policy actors and training stream); with a fixed layout it also starts the default
 * learner entity type for role {@code learner} (slices hosted here when this node has the role, a proxy otherwise).
 * Owns those children.
 */
public final class ClusterNode extends AbstractBehavior<ClusterNode.Command> {

  /** Messages of a node's root actor (local only; none yet). */
  public sealed interface Command permits Stop {}

  /** Stops the root actor (and with it the actor system). */
  public record Stop() implements Command {}

  /**
   * @param layout the slice layout of the default learner entity type, which every node of the cluster must share
   *     (empty: none; clustered runs bring their own)
   * @param out receives the membership lines and the worker's lines
   */
  public static Behavior<Command> create(SaliencySettings settings, Optional<SliceLayout> layout,
      Consumer<String> out) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(out, "out");
    return Behaviors.setup(ctx -> new ClusterNode(ctx, settings, layout, out));
  }

  private ClusterNode(ActorContext<Command> ctx, SaliencySettings settings, Optional<SliceLayout> layout,
      Consumer<String> out) {
    super(ctx);
    ctx.spawn(MemberLog.create(out), "member-log");
    ctx.spawn(NodeWorker.create(out), "worker", DispatcherSelector.blocking());
    layout.ifPresent(l -> {
      LearnerShard.initSharding(ctx.getSystem(), settings, l, Optional.of(NodeConfig.LEARNER));
      boolean learner = Cluster.get(ctx.getSystem()).selfMember().hasRole(NodeConfig.LEARNER);
      ctx.getLog().info("learner sharding started ({} slices of {} parameters), {}", l.slices(),
          l.parameterCount(), learner ? "slices hosted here" : "proxy only");
    });
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Stop.class, m -> Behaviors.stopped()).build();
  }
}
