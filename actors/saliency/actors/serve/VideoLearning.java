package saliency.actors.serve;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import saliency.actors.Guardian;
import saliency.actors.policy.PolicyActorClient;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.train.ModelStages;
import saliency.actors.train.OnlineTraining;
import saliency.actors.train.RunMeter;
import saliency.model.geometry.Mask;
import saliency.model.reward.RewardWeights;
import saliency.model.train.Prepared;
import saliency.model.train.TrainSettings;
import saliency.model.video.FrameLabels;
import saliency.model.video.PseudoLabels;
import saliency.model.video.VideoFrame;
import saliency.streams.TrainingGraph;
import saliency.streams.video.FrameResult;
import saliency.streams.video.LearningBranch;

/**
 * Online adaptation of a served run's policy on its video: a training node (guardian, sharded learner seeded with the
 * run's weights and checkpointing in its own folder, policy actors over TensorFlow backends) whose policy actors answer
 * the frames, and the learning branch that turns answered frames into CGPO updates through the same training graph
 * and learner as {@code train}. The reward is against the frames' labels, or, without labels, self-supervised:
 * agreement with the previous frames' smoothed mask plus the format reward. Owns the node's actor system.
 */
public final class VideoLearning implements AutoCloseable {
  /**
   * How to learn.
   *
   * @param dir the learner's folder (slice checkpoints; slices found there resume from theirs)
   * @param gradientBatch samples per gradient
   * @param bufferSize labelled frames waiting for the learning branch (the oldest dropped when it is behind)
   * @param agreement without labels, the weight of agreement (IoU with the previous frames' smoothed mask); the format
   *     reward has the rest
   * @param labelAlpha without labels, the weight of the newest frame in the smoothed mask
   */
  public record Options(Path dir, int gradientBatch, int bufferSize, double agreement, double labelAlpha) {
    public Options {
      Objects.requireNonNull(dir, "dir");
      if (gradientBatch < 1 || bufferSize < 1 || !(agreement >= 0 && agreement <= 1)
          || !(labelAlpha > 0 && labelAlpha <= 1)) {
        throw new IllegalArgumentException("bad learning options: gradient batch " + gradientBatch + ", buffer "
            + bufferSize + ", agreement " + agreement + " (0..1), label alpha " + labelAlpha + " (0..1]");
      }
    }
  }

  /**
   * A frame with its label: full-size ground truth, or a model-resolution pseudo-label; {@code served} is the policy
   * input the frame was answered from (null when the answer carries none).
   */
  record Labelled(VideoFrame frame, Mask label, boolean modelResolution, Prepared served) {}

  private final ActorSystem<Guardian.Command> system;
  private final PolicyFramePredictor predictor;
  private final LearningBranch<Labelled, Prepared> branch;

  private VideoLearning(ActorSystem<Guardian.Command> system, PolicyFramePredictor predictor,
      LearningBranch<Labelled, Prepared> branch) {
    this.system = Objects.requireNonNull(system, "system");
    this.predictor = Objects.requireNonNull(predictor, "predictor");
    this.branch = Objects.requireNonNull(branch, "branch");
  }

  /**
   * Starts the node for {@code run} and waits until its policy actors hold the learner's weights; {@code labels} null
   * for the self-supervised reward.
   */
  public static VideoLearning start(RunPredictor run, FrameLabels labels, Options options) throws Exception {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(options, "options");
    TrainSettings s = labels != null ? run.settings() : run.settings().withRewardWeights(
        new RewardWeights(options.agreement(), 0, 0, 1 - options.agreement()));
    Config base = ConfigFactory.empty()
        .withValue("pekko.loglevel", ConfigValueFactory.fromAnyRef("WARNING"))
        .withValue("saliency.pipeline.gradient-batch", ConfigValueFactory.fromAnyRef(options.gradientBatch()))
        .withFallback(ConfigFactory.load());
    Config config = OnlineTraining.nodeConfig(base, s, options.dir());
    SaliencySettings node = SaliencySettings.fromConfig(config);
    float[] start = run.network().getFlatWeights();
    ActorSystem<Guardian.Command> system = ActorSystem.create(Guardian.<saliency.model.train.Prepared>create(node,
        i -> OnlineTraining.backend(s, config, run.network().config(), start, i, s.seed() * 7919 + i)),
        "video-learn", config);
    try {
      Duration timeout = node.policy().askTimeout();
      Guardian.Wiring wiring = AskPattern.<Guardian.Command, Guardian.Wiring>ask(system, Guardian.GetWiring::new,
          timeout, system.scheduler()).toCompletableFuture().get(timeout.toSeconds(), TimeUnit.SECONDS);
      OnlineTraining.awaitPolicies(system, wiring.policies(), wiring.layout().slices(), timeout, () -> {});
      PolicyActorClient<Prepared> client = wiring.policyClient(system, timeout);
      Executor tf = system.dispatchers().lookup(DispatcherSelector.fromConfig(SaliencySettings.TF_DISPATCHER));
      TrainingGraph<Prepared, ModelStages.Segmentation> graph =
          OnlineTraining.graph(node, s, client, wiring.learner(), run.encoder(), new RunMeter(), system);
      int size = s.sizes().imageSize();
      java.util.function.Supplier<Function<FrameResult, Optional<Labelled>>> labellers = labels != null
          ? () -> r -> labels.label(r.frame()).map(m -> new Labelled(r.frame(), m, false,
              r.answer().prepared().orElse(null)))
          : () -> {
            PseudoLabels pseudo = new PseudoLabels(size, options.labelAlpha());
            return r -> Optional.ofNullable(pseudo.next(r.answer().map(), r.frame().width(), r.frame().height()))
                .map(m -> new Labelled(r.frame(), m, true, r.answer().prepared().orElse(null)));
          };
      LearningBranch<Labelled, Prepared> branch = new LearningBranch<>(labellers, options.bufferSize(),
          l -> CompletableFuture.supplyAsync(() -> prepare(run, l), tf), graph);
      return new VideoLearning(system, new PolicyFramePredictor(run, client, tf, f -> run.unlabelled(f.image())),
          branch);
    } catch (Exception | Error e) {
      system.terminate();
      throw e;
    }
  }

  /**
   * The training input of a labelled frame: the policy input it was answered from (computed here only when the answer
   * carries none) with the label at model resolution.
   */
  static Prepared prepare(RunPredictor run, Labelled l) {
    Prepared p = l.served() != null ? l.served() : run.prepare(List.of(run.unlabelled(l.frame().image()))).get(0);
    if (!l.modelResolution()) {
      return run.encoder().withLabel(p, l.label());
    }
    return new Prepared(p.original(), p.input(), l.label(), null, p.segmenterInput());
  }

  /** The node's actor system (the serving stream runs on it too). */
  public ActorSystem<Guardian.Command> system() {
    return system;
  }

  /** The frame predictor over the node's policy actors. */
  public PolicyFramePredictor predictor() {
    return predictor;
  }

  /** The learning branch to tap off the serving stream. */
  public LearningBranch<?, Prepared> branch() {
    return branch;
  }

  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
