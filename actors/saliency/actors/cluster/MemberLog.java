package saliency.actors.cluster;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Prints one line when this node is Up ({@code node up: ADDRESS roles=...}) and one per member event of the cluster
 * ({@code member up|joined|left|exited|removed|downed|...: ADDRESS roles=...}, {@code member unreachable|reachable:
 * ...}); local only.
 */
final class MemberLog extends AbstractBehavior<MemberLog.Command> {

  /** Cluster events, adapted. */
  sealed interface Command permits Self, MemberChanged, Reachability {}

  /** This node is Up. */
  record Self(SelfUp up) implements Command {}

  /** A member's status changed. */
  record MemberChanged(ClusterEvent.MemberEvent event) implements Command {}

  /** A member became unreachable or reachable again. */
  record Reachability(ClusterEvent.ReachabilityEvent event) implements Command {}

  static Behavior<Command> create(Consumer<String> out) {
    Objects.requireNonNull(out, "out");
    return Behaviors.setup(ctx -> new MemberLog(ctx, out));
  }

  private final Consumer<String> out;

  private MemberLog(ActorContext<Command> ctx, Consumer<String> out) {
    super(ctx);
    this.out = out;
    Cluster cluster = Cluster.get(ctx.getSystem());
    cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(SelfUp.class, Self::new), SelfUp.class));
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new),
        ClusterEvent.ReachabilityEvent.class));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Self.class, m -> {
          out.accept("node up: " + describe(Cluster.get(getContext().getSystem()).selfMember()));
          return this;
        })
        .onMessage(MemberChanged.class, m -> {
          out.accept("member " + kind(m.event()) + ": " + describe(m.event().member()));
          return this;
        })
        .onMessage(Reachability.class, m -> {
          String what = m.event() instanceof ClusterEvent.UnreachableMember ? "unreachable" : "reachable";
          out.accept("member " + what + ": " + describe(m.event().member()));
          return this;
        })
        .build();
  }

  /** {@code MemberUp} -> {@code up}, {@code MemberWeaklyUp} -> {@code weakly-up}. */
  static String kind(ClusterEvent.MemberEvent event) {
    String name = event.getClass().getSimpleName().replaceFirst("^Member", "");
    return name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code ADDRESS roles=a,b}, without the data-center role. */
  static String describe(Member member) {
    String roles = member.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted()
        .collect(Collectors.joining(","));
    return member.address() + " roles=" + roles;
  }
}
