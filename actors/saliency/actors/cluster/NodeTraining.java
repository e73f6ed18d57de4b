package saliency.actors.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import saliency.actors.learner.ShardedLearnerClient;
import saliency.actors.policy.PolicyActor;
import saliency.actors.policy.PolicyActorClient;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.train.ModelStages;
import saliency.actors.train.OnlineTraining;
import saliency.actors.train.RunMeter;
import saliency.actors.train.TrainRun;
import saliency.model.data.Augmentation;
import saliency.model.data.DataPosition;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.RunFolder;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;
import saliency.streams.LatencyHistogram;
import saliency.streams.PipelineStats;
import saliency.streams.SubmitResult;
import saliency.streams.TrainingGraph;

/**
 * One policy node's share of a clustered run: its part of the data and its training graph (sample, segment, reward,
 * advantage, gradient to the run's learner slices) over the node's policy actors, with the graph's counters; owned by
 * the {@link NodeWorker} that started it.
 *
 * <p>The data split: policy node {@code i} of {@code k} (the driver numbers the policy nodes by address) trains on
 * synthetic scenes seeded {@code seed + 1000003 (i + 1)} (so no two nodes, and not the driver's SFT, draw the same
 * scenes), or on the training images of the folder (validation set aside, in stem order) whose index has
 * {@code index % k == i}.
 */
final class NodeTraining {
  /** The counters of a node that has not trained. */
  static final PipelineStats.Snapshot NO_STATS = new PipelineStats().snapshot();

  private final TrainingGraph<Prepared, ModelStages.Segmentation> graph;
  private final RunMeter meter;
  private final UniqueKillSwitch killSwitch;
  private final CompletionStage<SubmitResult> done;
  private final LatencyHistogram publication;

  private NodeTraining(TrainingGraph<Prepared, ModelStages.Segmentation> graph, RunMeter meter,
      UniqueKillSwitch killSwitch, CompletionStage<SubmitResult> done, LatencyHistogram publication) {
    this.publication = Objects.requireNonNull(publication, "publication");
    this.graph = Objects.requireNonNull(graph, "graph");
    this.meter = Objects.requireNonNull(meter, "meter");
    this.killSwitch = Objects.requireNonNull(killSwitch, "killSwitch");
    this.done = Objects.requireNonNull(done, "done");
  }

  /** The synthetic-scene seed of policy node {@code index}. */
  static long nodeSeed(long seed, int index) {
    return seed + 1_000_003L * (index + 1);
  }

  /** What node {@code index} of {@code count} trains on, for its log line. */
  static String dataNote(String data, TrainSettings s, int index, int count) {
    return data.equals(RunFolder.SYNTHETIC) ? "synthetic scenes seeded " + nodeSeed(s.seed(), index)
        : data + ", images with index % " + count + " == " + index;
  }

  /**
   * Loads the node's part of the data, waits until every policy actor holds every learner slice, and starts the
   * graph; blocks (call it off the actor's thread).
   *
   * @param samples the node's sample budget (0: none)
   * @param publication the histogram the node's policy actors count publication latencies into
   */
  static NodeTraining start(ActorSystem<?> system, SaliencySettings node, TrainSettings s, RunLayout layout, int index,
      int count, List<ActorRef<PolicyActor.Command>> policies, ShardedLearnerClient learner, long samples,
      LatencyHistogram publication) throws Exception {
    if (s.promptAnswers()) {
      throw new IllegalArgumentException("prompt answers are not trained on cluster nodes yet (polygon answers only)");
    }
    ExampleEncoder encoder = new ExampleEncoder(s);
    TrainingData data = layout.data().equals(RunFolder.SYNTHETIC)
        ? TrainingData.synthetic(encoder, nodeSeed(s.seed(), index), 0, DataPosition.START)
        : TrainingData.directory(encoder, Path.of(layout.data()), s.seed(), 1, DataPosition.START,
            TrainRun.VALIDATION_SHARE, Augmentation.Settings.off(), index, count);
    OnlineTraining.awaitPolicies(system, policies, layout.slices(), node.policy().askTimeout(), () -> { });
    RunMeter meter = new RunMeter();
    TrainingGraph<Prepared, ModelStages.Segmentation> graph = OnlineTraining.graph(node, s,
        new PolicyActorClient<>(policies, node.policy().askTimeout(), system.scheduler()), learner, encoder, meter,
        system);
    Pair<UniqueKillSwitch, CompletionStage<SubmitResult>> running =
        graph.build(OnlineTraining.admitted(data.train(), samples, node, s.rl().algorithm())).run(system);
    return new NodeTraining(graph, meter, running.first(), running.second(), publication);
  }

  /** Completes when the graph has finished (stopped, or its data or budget ran out). */
  CompletionStage<SubmitResult> done() {
    return done;
  }

  /** Whether the graph has finished. */
  boolean finished() {
    return done.toCompletableFuture().isDone();
  }

  /** Stops admitting examples; those in flight finish, then {@link #done()} completes. */
  void stop() {
    killSwitch.shutdown();
  }

  /** The counters so far and the sample means since the previous call. */
  NodeWorker.NodeProgress progress(String runId, String node) {
    RunMeter.Window w = meter.drain();
    return new NodeWorker.NodeProgress(runId, node, !finished(), graph.stats().snapshot(),
        w.samples(), w.reward(), w.confidence(), w.version(), publication.count(), publication.percentile(0.5),
        publication.percentile(0.99));
  }
}
