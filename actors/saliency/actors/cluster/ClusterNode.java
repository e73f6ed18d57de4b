package saliency.actors.cluster;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.Cluster;
import saliency.actors.learner.LearnerShard;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;

/**
 * Root actor of a {@code node} process: starts the learner's Cluster Sharding for role {@code learner} (slices hosted
 * here when this node has the role, a proxy otherwise) and a {@link MemberLog} printing the node's membership lines.
 * It does not run policy actors or training yet.
 */
public final class ClusterNode extends AbstractBehavior<ClusterNode.Command> {

  /** Messages of a node's root actor (local only; none yet). */
  public sealed interface Command permits Stop {}

  /** Stops the root actor (and with it the actor system). */
  public record Stop() implements Command {}

  /**
   * @param layout the learner's slice layout, which every node of the cluster must share
   * @param out receives the membership lines
   */
  public static Behavior<Command> create(SaliencySettings settings, SliceLayout layout, Consumer<String> out) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(out, "out");
    return Behaviors.setup(ctx -> new ClusterNode(ctx, settings, layout, out));
  }

  private ClusterNode(ActorContext<Command> ctx, SaliencySettings settings, SliceLayout layout,
      Consumer<String> out) {
    super(ctx);
    ctx.spawn(MemberLog.create(out), "member-log");
    LearnerShard.initSharding(ctx.getSystem(), settings, layout, Optional.of(NodeConfig.LEARNER));
    boolean learner = Cluster.get(ctx.getSystem()).selfMember().hasRole(NodeConfig.LEARNER);
    ctx.getLog().info("learner sharding started ({} slices of {} parameters), {}", layout.slices(),
        layout.parameterCount(), learner ? "slices hosted here" : "proxy only");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Stop.class, m -> Behaviors.stopped()).build();
  }
}
