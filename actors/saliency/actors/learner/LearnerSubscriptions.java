package saliency.actors.learner;

import org.apache.pekko.actor.typed.ActorRef;

/** How a policy actor registers for published weight slices (every learner slice, or a fake); stateless. */
@FunctionalInterface
public interface LearnerSubscriptions {
  /** Subscribes {@code subscriber} to every learner slice; idempotent, called again periodically. */
  void subscribe(ActorRef<LearnerShard.SlicePublished> subscriber);
}
