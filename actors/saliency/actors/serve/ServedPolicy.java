package saliency.actors.serve;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import saliency.actors.policy.PolicyActor;
import saliency.actors.policy.PolicyActorClient;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.train.OnlineTraining;
import saliency.model.data.LabelledImage;
import saliency.model.train.Prepared;
import saliency.model.video.VideoFrame;

/**
 * A trained run's policy serving video frames through one policy actor that no learner feeds (its answers carry
 * version 0): spawns the actor, with its own network holding the run's weights, on the TensorFlow dispatcher of an
 * actor system and makes the frame predictor; owns the actor (stopped on close), the run predictor stays its caller's.
 */
public final class ServedPolicy implements AutoCloseable {
  private final ActorSystem<?> system;
  private final ActorRef<PolicyActor.Command> actor;
  private final PolicyFramePredictor predictor;

  private ServedPolicy(ActorSystem<?> system, ActorRef<PolicyActor.Command> actor, PolicyFramePredictor predictor) {
    this.system = Objects.requireNonNull(system, "system");
    this.actor = Objects.requireNonNull(actor, "actor");
    this.predictor = Objects.requireNonNull(predictor, "predictor");
  }

  /**
   * Spawns the policy actor for {@code run} in {@code system} (its config holds the {@code saliency} block) and a
   * predictor that labels frames with {@code label}; frames are prepared and drawn on the TensorFlow dispatcher.
   */
  public static ServedPolicy start(ActorSystem<?> system, RunPredictor run, Function<VideoFrame, LabelledImage> label,
      Duration askTimeout) {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(run, "run");
    DispatcherSelector tf = DispatcherSelector.fromConfig(SaliencySettings.TF_DISPATCHER);
    ActorRef<PolicyActor.Command> actor = system.systemActorOf(
        PolicyActor.create(OnlineTraining.backend(run.settings(), system.settings().config(),
            run.network().config(), run.network().getFlatWeights(), 0, run.settings().seed()), 1,
            subscriber -> {}, Duration.ofDays(1)),
        "served-policy", tf);
    Executor cpu = system.dispatchers().lookup(tf);
    PolicyActorClient<Prepared> client = new PolicyActorClient<>(List.of(actor), askTimeout, system.scheduler());
    return new ServedPolicy(system, actor, new PolicyFramePredictor(run, client, cpu, label));
  }

  /** The frame predictor that asks this policy actor. */
  public PolicyFramePredictor predictor() {
    return predictor;
  }

  @Override
  public void close() {
    system.classicSystem().stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(actor));
  }
}
