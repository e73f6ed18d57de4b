package saliency.actors.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.learner.SliceCheckpoint;
import saliency.model.data.DataPosition;
import saliency.model.data.SyntheticScenes;
import saliency.model.policy.PolicyConfig;
import saliency.model.policy.PolicyNetwork;
import saliency.model.report.RunReporter;
import saliency.model.text.Vocabulary;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.TinySettings;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;

/**
 * The RL phase end to end through streams and actors on a tiny network and synthetic scenes: samples flow, learner
 * versions advance, policy actors swap in new weights, the run folder is written; then a crash (no final checkpoint)
 * and a resume from the folder: versions never go back, checkpointed weights and the data position are restored.
 */
class OnlineTrainingTest {
  static final int BINS = 16;
  static final TrainSettings SETTINGS = TinySettings.of("calibrated", 3L);
  static final PolicyConfig TINY = new PolicyConfig(32, Vocabulary.FIRST_COORD + BINS, 20, List.of(8, 16), 24, 8, 8,
      8, "/CPU:0", 1, 1, 3L, Vocabulary.PAD, Vocabulary.END, false);
  static final int CHECKPOINT_EVERY = 3;

  @TempDir Path runDir;

  Config config() {
    return OnlineTraining.nodeConfig(TestConfigs.cluster(runDir,
        "saliency.learner { slices = 2, checkpoint-every = " + CHECKPOINT_EVERY + ", max-staleness = 1000 }\n"
            + "saliency.pipeline { sample-batch = 8, gradient-batch = 8, buffer-size = 2 }\n"
            + "saliency.policy.resubscribe-interval = 1s\n"), SETTINGS, runDir);
  }

  OnlineTraining.Result session(PolicyNetwork net, TrainingData data, RunProgress before, long samples,
      boolean finalCheckpoint, List<OnlineTraining.Progress> progress) throws Exception {
    OnlineTraining online = new OnlineTraining(new OnlineTraining.Options(config(), SETTINGS, runDir, 60, samples,
        0.2, 0.5, 0, 2, finalCheckpoint), System::nanoTime);
    try (RunReporter reporter = new RunReporter(runDir, System::nanoTime)) {
      return online.run(data, net, before, reporter, progress::add);
    }
  }

  static long[] checkpointVersions(Path runDir, int slices) throws Exception {
    long[] v = new long[slices];
    for (int i = 0; i < slices; i++) {
      v[i] = SliceCheckpoint.read(SliceCheckpoint.file(runDir, i)).orElseThrow().version();
    }
    return v;
  }

  @Test
  void trainsThroughThePipelineThenResumesAfterACrash() throws Exception {
    ExampleEncoder encoder = new ExampleEncoder(SETTINGS);
    try (PolicyNetwork net = PolicyNetwork.create(TINY)) {
      float[] initial = net.getFlatWeights();

      // 1. a first session, stopped like a crash: no final checkpoint
      TrainingData data = TrainingData.synthetic(encoder, 3L, 4, DataPosition.START);
      List<OnlineTraining.Progress> progress = new ArrayList<>();
      OnlineTraining.Result a = session(net, data, RunProgress.START, 64, false, progress);
      int slices = a.versions().length;
      assertTrue(a.stats().trainedSamples() >= 64, "samples flowed to the learner: " + a.stats());
      assertEquals(0, a.stats().failures(), "no stage failed: " + a.stats().lastFailure());
      for (long v : a.versions()) {
        assertTrue(v >= 4, "every learner slice stepped: " + Arrays.toString(a.versions()));
      }
      assertTrue(a.policyUpdates() > 2L * slices, "policy actors swapped in published slices: " + a.policyUpdates());
      assertFalse(Arrays.equals(initial, a.weights()), "weights moved");
      assertFalse(progress.isEmpty(), "progress was reported");
      // (whether any of these 64 samples came from updated weights depends on timing: sampling may run ahead of
      // the first update; the resumed session below samples from restored weights, which is certain)

      // run folder: progress, slice checkpoints, metrics
      RunProgress afterA = RunProgress.read(runDir).orElseThrow();
      assertEquals(a.progress(), afterA);
      assertEquals(a.stats().trainedSamples(), afterA.samples());
      assertTrue(afterA.position().index() >= 64 / 1, "data position advanced: " + afterA.position());
      long[] checkpointed = checkpointVersions(runDir, slices);
      for (int i = 0; i < slices; i++) {
        assertTrue(checkpointed[i] <= a.versions()[i] && a.versions()[i] - checkpointed[i] < CHECKPOINT_EVERY,
            "periodic checkpoint of slice " + i + ": " + checkpointed[i] + " vs " + a.versions()[i]);
      }
      List<String> rows = Files.readAllLines(runDir.resolve(RunReporter.METRICS_CSV));
      assertTrue(rows.stream().anyMatch(r -> r.contains(",train,") && r.contains("reward=")), "metrics rows: " + rows);
      assertTrue(Files.list(runDir.resolve("tensorboard")).findAny().isPresent(), "TensorBoard events");

      // 2. resume: weights from the slice checkpoints, data from the saved position
      float[] restored = OnlineTraining.weightsFromSlices(runDir, net.parameterCount()).orElseThrow();
      net.setFlatWeights(restored);
      TrainingData resumed = TrainingData.synthetic(encoder, 3L, 4, afterA.position());
      SyntheticScenes reference = new SyntheticScenes(
          SyntheticScenes.Settings.defaults(3L).withSize(32, 32));
      reference.seek(afterA.position().index());
      assertEquals(reference.next().name(), resumed.train().next().original().name(),
          "the resumed stream continues at the saved position");
      List<OnlineTraining.Progress> progressB = new ArrayList<>();
      OnlineTraining.Result b = session(net, resumed, afterA, 32, true, progressB);
      long oldestCheckpoint = Arrays.stream(checkpointed).min().orElseThrow();
      assertTrue(progressB.get(progressB.size() - 1).version() > oldestCheckpoint, "the resumed session sampled "
          + "from the restored slices (above checkpoints " + Arrays.toString(checkpointed) + "): " + progressB);
      for (int i = 0; i < slices; i++) {
        assertTrue(b.versions()[i] > a.versions()[i], "slice " + i + " version went from " + a.versions()[i]
            + " before the crash to " + b.versions()[i] + " after the resume");
      }
      RunProgress afterB = RunProgress.read(runDir).orElseThrow();
      assertTrue(afterB.samples() >= afterA.samples() + 32, "samples accumulate across sessions: " + afterB);
      assertTrue(afterB.position().index() > afterA.position().index(), "position moves on: " + afterB);
      // a graceful stop checkpoints every slice at its final version, so nothing applied is lost
      assertArrayEquals(b.versions(), checkpointVersions(runDir, slices));
      assertArrayEquals(b.weights(), OnlineTraining.weightsFromSlices(runDir, net.parameterCount()).orElseThrow());
    }
  }

  @Test
  void aSampleBudgetStopsAdmissionSoNothingInFlightOvershootsIt() throws Exception {
    ExampleEncoder encoder = new ExampleEncoder(SETTINGS);
    try (PolicyNetwork net = PolicyNetwork.create(TINY)) {
      TrainingData data = TrainingData.synthetic(encoder, 3L, 4, DataPosition.START);
      List<OnlineTraining.Progress> progress = new ArrayList<>();
      // 20 is not a multiple of the gradient micro-batch (8): the last, short batch is trained too
      OnlineTraining.Result r = session(net, data, RunProgress.START, 20, true, progress);
      assertEquals(0, r.stats().failures(), r.stats().lastFailure());
      assertEquals(20, r.admittedSamples(), "CGPO: one sample per admitted prompt");
      assertEquals(20, r.stats().pulled(), "no prompt past the budget entered the pipeline");
      assertEquals(20, r.stats().trainedSamples(), "every admitted sample trained, none more: " + r.stats());
      assertEquals("samples", r.stoppedBy());
      assertEquals(20, r.progress().samples());
      assertEquals(20, r.progress().position().index(), "the data position is that of the last admitted example");
      assertEquals(20, progress.get(progress.size() - 1).samples(), "the last progress report has the final count");
    }
  }
}
