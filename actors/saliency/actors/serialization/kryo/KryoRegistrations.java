package saliency.actors.serialization.kryo;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import saliency.actors.cluster.NodeWorker;
import saliency.actors.cluster.RunLayout;
import saliency.actors.learner.LearnerShard;
import saliency.actors.policy.PolicyActor;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.PipelineStats;
import saliency.streams.PolicyVersion;

/**
 * The fixed Kryo registration list: every class that may cross nodes, in an order that gives the same ids on every
 * node (append only; never reorder); stateless.
 */
public final class KryoRegistrations {
  /** Registration id of the typed ActorRef interface (all concrete ref classes map to it). */
  static final int ACTOR_REF_ID = 99;
  /** First id of {@link #builtIn()}. */
  static final int FIRST_ID = 100;
  /** First id of {@code saliency.serialization.extra-classes}. */
  static final int FIRST_EXTRA_ID = 1000;

  private KryoRegistrations() {}

  /** Built-in registrations, ids {@code FIRST_ID, FIRST_ID + 1, ...} in this order. */
  public static List<Class<?>> builtIn() {
    return List.of(
        // arrays and value types used inside messages
        float[].class,
        long[].class,
        int[].class,
        double[].class,
        float[][].class,
        int[][].class,
        PolicyVersion.class,
        Completion.class,
        Completion[].class,
        GradientExample.class,
        GradientExample[].class,
        // learner slices
        LearnerShard.Initialize.class,
        LearnerShard.GradientSlice.class,
        LearnerShard.Subscribe.class,
        LearnerShard.Unsubscribe.class,
        LearnerShard.GetStats.class,
        LearnerShard.GetSlice.class,
        LearnerShard.SubscriberTerminated.class,
        LearnerShard.Outcome.class,
        LearnerShard.Initialized.class,
        LearnerShard.GradientProcessed.class,
        LearnerShard.SlicePublished.class,
        LearnerShard.Stats.class,
        LearnerShard.SliceState.class,
        // policy actors
        PolicyActor.SampleRequest.class,
        PolicyActor.ScoreRequest.class,
        PolicyActor.GradientRequest.class,
        PolicyActor.GetVersion.class,
        PolicyActor.SliceArrived.class,
        PolicyActor.Resubscribe.class,
        PolicyActor.Sampled.class,
        PolicyActor.Scored.class,
        PolicyActor.GradientsComputed.class,
        PolicyActor.VersionReport.class,
        // batched sampling
        Object[].class,
        Completion[][].class,
        PolicyActor.SampleBatchRequest.class,
        PolicyActor.SampledBatch.class,
        LearnerShard.WriteCheckpoint.class,
        // clustered runs: driver and node workers
        String[].class,
        PipelineStats.Snapshot.class,
        RunLayout.class,
        NodeWorker.PrepareRun.class,
        NodeWorker.StartTraining.class,
        NodeWorker.GetProgress.class,
        NodeWorker.StopTraining.class,
        NodeWorker.RunPrepared.class,
        NodeWorker.TrainingStarted.class,
        NodeWorker.NodeProgress.class,
        NodeWorker.TrainingStopped.class,
        // serving video frames through policy actors
        PolicyActor.GreedyBatchRequest.class,
        // a learner slice's stop on hand-off (sent by its local shard; registered as every command is)
        LearnerShard.HandOff.class);
  }

  /** Registration id to class: {@link #builtIn()} from {@link #FIRST_ID}, {@code extra} from {@link #FIRST_EXTRA_ID}. */
  static SortedMap<Integer, Class<?>> byId(List<Class<?>> extra) {
    SortedMap<Integer, Class<?>> out = new TreeMap<>();
    int id = FIRST_ID;
    for (Class<?> c : builtIn()) {
      out.put(id++, c);
    }
    id = FIRST_EXTRA_ID;
    for (Class<?> c : extra) {
      out.put(id++, c);
    }
    return out;
  }

  /** Classes named in {@code saliency.serialization.extra-classes}; an unknown name is an error naming it. */
  static List<Class<?>> extraClasses(Config config) {
    String key = "saliency.serialization.extra-classes";
    List<Class<?>> out = new ArrayList<>();
    if (!config.hasPath(key)) {
      return out;
    }
    for (String name : config.getStringList(key)) {
      try {
        out.add(Class.forName(name, false, KryoRegistrations.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(key + ": class not found: " + name, e);
      }
    }
    return out;
  }
}
