package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.train.TrainRun;
import saliency.model.report.RunReporter;
import saliency.model.train.TaskFile;
import saliency.model.train.TaskMix;
import saliency.model.train.TrainSettings;

/**
 * {@code train --tasks}: a run mixing SOD, SIS and COD through the pipeline (SFT, then CGPO through the actors),
 * with per-task rewards and held-out rows; {@code eval --task sis} on its held-out scenes; bad {@code --tasks} refused.
 */
class MixedTaskTrainingTest {
  /** The tiny policy of the eval tests: 32x32, 16 bins, max-len 20, 1 s of SFT. */
  static final TrainSettings SETTINGS = EvalCommandTest.SETTINGS;

  @TempDir Path dir;

  /**
   * Trains the tiny policy on {@code tasks} through the pipeline into {@code runDir}: SFT, then {@code samples} RL
   * samples (a sample budget alone, no RL seconds: a loaded machine must still train every sample); log lines go to
   * {@code log}.
   */
  static TrainRun.Outcome train(Path runDir, TaskMix tasks, int samples, List<String> log) throws Exception {
    Config base = TestConfigs.cluster(runDir, "saliency.learner { slices = 2, checkpoint-every = 2 }\n"
        + "saliency.pipeline { sample-batch = 8, gradient-batch = 8 }\n"
        + "pekko.remote.artery.bind.bind-timeout = 60s\n"); // a loaded machine binds slowly
    TrainRun.Request r = new TrainRun.Request(null, SETTINGS, runDir, false, 0, samples, 0, base, true, 0, false,
        saliency.model.data.Augmentation.Settings.off(), tasks);
    return TrainRun.run(r, System::nanoTime, (p, st, e, b, m) -> {}, p -> {}, log::add);
  }

  @Test
  void aMixedRunTrainsEveryTaskThroughThePipelineAndEvalScoresSisInstances() throws Exception {
    Path runDir = dir.resolve("run");
    TaskMix mix = TaskMix.parse("sod:0.4,sis:0.3,cod:0.3");
    List<String> log = new ArrayList<>();
    TrainRun.Outcome o = train(runDir, mix, 64, log);
    assertTrue(o.rl().stats().trainedSamples() >= 64, o.rl().stats().toString());
    assertEquals(0, o.rl().stats().failures(), o.rl().stats().lastFailure());
    assertEquals(mix, TaskFile.read(runDir));
    assertTrue(log.stream().anyMatch(l -> l.contains("sis: AP50")), String.join("\n", log));

    List<String> rows = Files.readAllLines(runDir.resolve(RunReporter.METRICS_CSV));
    for (String task : List.of("sod", "sis", "cod")) {
      long held = rows.stream().filter(l -> l.contains(",heldout-" + task + ",")).count();
      assertEquals(2, held, "held-out rows of " + task + " after SFT and after RL");
      assertTrue(rows.stream().anyMatch(l -> l.contains(",train,") && l.contains("reward_" + task + "=")),
          "a training row with the mean reward of " + task);
    }
    assertTrue(rows.stream().anyMatch(l -> l.contains(",heldout-sis,") && l.contains("AP50=")));

    CliRun sis = CliRun.of("eval", "--run", runDir.toString(), "--data", "synthetic:5", "--task", "sis", "--samples",
        "1");
    assertEquals(0, sis.code(), sis.err());
    JsonObject json = JsonParser.parseString(sis.out().strip()).getAsJsonObject();
    assertEquals("sis", json.get("task").getAsString());
    assertTrue(json.has("AP50") && json.has("AP50:95") && json.has("meanMatchedIoU") && json.has("Smeasure"),
        sis.out());
    assertTrue(json.get("instances").getAsInt() >= 10, "2 or 3 instances in each of 5 scenes: " + sis.out());

    CliRun cod = CliRun.of("eval", "--run", runDir.toString(), "--data", "synthetic:3", "--task", "cod", "--samples",
        "1");
    assertEquals(0, cod.code(), cod.err());
    assertTrue(cod.out().contains("\"Smeasure\"") && !cod.out().contains("AP50"), cod.out());

    CliRun bad = CliRun.of("eval", "--run", runDir.toString(), "--data", "synthetic:3", "--task", "cosod");
    assertEquals(1, bad.code(), bad.err());
    assertTrue(bad.err().contains("--task cosod") && bad.err().contains("without a group context"), bad.err());
  }

  @Test
  void badTaskListsAreRefusedNamingTheEntry() {
    CliRun r = CliRun.of("train", "--tasks", "sod:0.5,sis:0.2,cdo:0.3", "--out", dir.resolve("x").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("'cdo:0.3'") && r.err().contains("unknown task"), r.err());
    CliRun sum = CliRun.of("train", "--tasks", "sod:0.5,sis:0.2", "--out", dir.resolve("y").toString());
    assertEquals(2, sum.code(), sum.err());
    assertTrue(sum.err().contains("sum to 0.7"), sum.err());
    CliRun folder = CliRun.of("train", "--tasks", "sis", "--data", dir.toString(), "--answer", "polygon", "--out",
        dir.resolve("z").toString());
    assertEquals(2, folder.code(), folder.err());
    assertTrue(folder.err().contains("synthetic scenes"), folder.err());
    assertTrue(!Files.exists(dir.resolve("x")) && !Files.exists(dir.resolve("y")));
  }
}
