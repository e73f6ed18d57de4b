package saliency.actors.policy;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import saliency.actors.learner.LearnerShard;

/**
 * A policy actor's subscriber to the learner's slices, on a non-blocking dispatcher: it keeps the newest published
 * version of each slice in a {@link Pending} holder the policy actor shares, and wakes the policy actor, which swaps
 * the pending slices in before its next backend call. So a publication waits for at most the call running now,
 * not behind every request queued in the policy actor's mailbox. Owns nothing but its reference to the holder.
 */
final class SliceInbox extends AbstractBehavior<LearnerShard.SlicePublished> {

  /** The newest published, not yet swapped-in version of each slice; thread-safe. */
  static final class Pending {
    private final AtomicReferenceArray<LearnerShard.SlicePublished> slices;
    private final AtomicLong superseded = new AtomicLong();

    Pending(int slices) {
      this.slices = new AtomicReferenceArray<>(slices);
    }

    /**
     * Keeps {@code s} unless a newer version of its slice is already pending (the older of the two is superseded,
     * never swapped in); false for a slice out of range.
     */
    boolean offer(LearnerShard.SlicePublished s) {
      int i = s.sliceIndex();
      if (i < 0 || i >= slices.length()) {
        return false;
      }
      while (true) {
        LearnerShard.SlicePublished held = slices.get(i);
        if (held != null && held.version() >= s.version()) {
          superseded.incrementAndGet();
          return true;
        }
        if (slices.compareAndSet(i, held, s)) {
          if (held != null) {
            superseded.incrementAndGet();
          }
          return true;
        }
      }
    }

    /** Slices replaced by a newer version before they were swapped in. */
    long superseded() {
      return superseded.get();
    }

    /** Hands every pending slice to {@code swap} and clears it. */
    void drain(Consumer<LearnerShard.SlicePublished> swap) {
      for (int i = 0; i < slices.length(); i++) {
        LearnerShard.SlicePublished s = slices.getAndSet(i, null);
        if (s != null) {
          swap.accept(s);
        }
      }
    }
  }

  static Behavior<LearnerShard.SlicePublished> create(Pending pending, ActorRef<PolicyActor.Command> policy) {
    Objects.requireNonNull(pending, "pending");
    Objects.requireNonNull(policy, "policy");
    return Behaviors.setup(ctx -> new SliceInbox(ctx, pending, policy));
  }

  private final Pending pending;
  private final ActorRef<PolicyActor.Command> policy;

  private SliceInbox(ActorContext<LearnerShard.SlicePublished> ctx, Pending pending,
      ActorRef<PolicyActor.Command> policy) {
    super(ctx);
    this.pending = pending;
    this.policy = policy;
  }

  @Override
  public Receive<LearnerShard.SlicePublished> createReceive() {
    return newReceiveBuilder().onAnyMessage(this::onSlice).build();
  }

  private Behavior<LearnerShard.SlicePublished> onSlice(LearnerShard.SlicePublished s) {
    if (pending.offer(s)) {
      policy.tell(new PolicyActor.SlicesPending());
    } else {
      policy.tell(new PolicyActor.SliceArrived(s)); // out of range: the policy actor refuses it and counts it
    }
    return this;
  }
}
