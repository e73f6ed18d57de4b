package saliency.actors.train;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import saliency.model.policy.PolicyNetwork;
import saliency.model.report.RunReporter;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.TrainingData;

/**
 * Where a {@link TrainRun}'s RL session runs: in this JVM ({@link #LOCAL}, {@link OnlineTraining}) or over a cluster of
 * nodes; an implementation holds no state of the run beyond one call.
 */
@FunctionalInterface
public interface RlSession {
  /** RL in this JVM: one node with its own policy actors and learner slices. */
  RlSession LOCAL = (options, clock, stop, data, encoder, initial, before, reporter, listener) ->
      new OnlineTraining(options, clock, stop).run(data, encoder, initial, before, reporter, listener);

  /**
   * Runs one RL session as {@link OnlineTraining#run(TrainingData, ExampleEncoder, PolicyNetwork, RunProgress,
   * RunReporter, OnlineTraining.Listener)} describes, stopping early when {@code stopRequested} turns true.
   */
  OnlineTraining.Result run(OnlineTraining.Options options, LongSupplier clock, BooleanSupplier stopRequested,
      TrainingData data, ExampleEncoder encoder, PolicyNetwork initial, RunProgress before, RunReporter reporter,
      OnlineTraining.Listener listener) throws Exception;
}
