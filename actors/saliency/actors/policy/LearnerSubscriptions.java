package saliency.actors.policy;

import org.apache.pekko.actor.typed.ActorRef;
import saliency.actors.learner.LearnerShard;

/** How a policy actor registers for published weight slices (every learner slice, or a fake); stateless. */
@FunctionalInterface
public interface LearnerSubscriptions {
  /** Subscribes {@code subscriber} to every learner slice; idempotent, called again periodically. */
  void subscribe(ActorRef<LearnerShard.SlicePublished> subscriber);
}
