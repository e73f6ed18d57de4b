package saliency.actors.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.report.RunReporter;
import saliency.model.train.RunFolder;
import saliency.model.train.TinySettings;
import saliency.model.train.TrainSettings;

/** A whole run into a run folder (SFT, RL through the pipeline, reports, checkpoint), then a resume of it. */
class TrainRunTest {
  static final TrainSettings SETTINGS = TinySettings.of("head", 5L);

  @TempDir Path runDir;

  TrainRun.Request request(boolean resume, long samples) {
    Config base = TestConfigs.cluster(runDir,
        "saliency.learner { slices = 2, checkpoint-every = 2 }\n"
            + "saliency.pipeline { sample-batch = 8, gradient-batch = 8 }\n");
    return new TrainRun.Request(null, SETTINGS, runDir, resume, 60, samples, 0, base, true);
  }

  @Test
  void newRunWritesTheRunFolderAndResumeContinuesIt() throws Exception {
    List<String> log = new ArrayList<>();
    TrainRun.Outcome first = TrainRun.run(request(false, 32), System::nanoTime, (p, st, e, b, m) -> {}, p -> {},
        log::add);
    assertNotNull(first.afterSft(), "a new run evaluates its SFT warm start");
    assertEquals(4, first.afterRl().images());
    assertTrue(first.rl().stats().trainedSamples() >= 32, "RL through the pipeline: " + first.rl().stats());
    assertEquals(0, first.rl().stats().failures(), first.rl().stats().lastFailure());
    for (String f : List.of(RunFolder.SETTINGS, RunFolder.POLICY, RunProgress.FILE, RunReporter.METRICS_CSV,
        RunReporter.REWARD_PNG, RunReporter.HELD_OUT_PNG, RunReporter.GRID_PNG)) {
      assertTrue(Files.isRegularFile(runDir.resolve(f)), "run folder has " + f);
    }
    assertEquals(SETTINGS, new RunFolder(runDir).readSettings());
    PolicyCheckpoint ckpt = PolicyCheckpoint.load(runDir.resolve(RunFolder.POLICY));
    assertTrue(java.util.Arrays.equals(first.rl().weights(), ckpt.weights()), "policy.ckpt holds the final weights");
    long heldOutRows = Files.readAllLines(runDir.resolve(RunReporter.METRICS_CSV)).stream()
        .filter(r -> r.contains(",heldout,")).count();
    assertEquals(2, heldOutRows, "held-out figures after SFT and after RL");

    // a new run into the same folder would silently restore the slices: refused
    IOException e = assertThrows(IOException.class, () -> TrainRun.run(request(false, 8), System::nanoTime,
        (p, st, el, b, m) -> {}, p -> {}, log::add));
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());

    TrainRun.Outcome second = TrainRun.run(request(true, 16), System::nanoTime, (p, st, el, b, m) -> {}, p -> {},
        log::add);
    assertNull(second.afterSft(), "a resumed run skips SFT");
    assertTrue(second.rl().progress().samples() >= first.rl().progress().samples() + 16, "samples accumulate");
    assertTrue(second.rl().progress().position().index() > first.rl().progress().position().index());
    for (int i = 0; i < first.rl().versions().length; i++) {
      assertTrue(second.rl().versions()[i] > first.rl().versions()[i], "versions go forward");
    }
  }

  @Test
  void aFolderRunResumedWithoutDataTrainsOnItsFolder() throws Exception {
    Path data = runDir.resolve("duts");
    Files.createDirectories(data.resolve("images"));
    Files.createDirectories(data.resolve("masks"));
    java.util.Random rnd = new java.util.Random(2);
    for (int i = 0; i < 24; i++) {
      java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(40, 40,
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      java.awt.image.BufferedImage m = new java.awt.image.BufferedImage(40, 40,
          java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      int x0 = rnd.nextInt(20);
      int y0 = rnd.nextInt(20);
      for (int y = 0; y < 40; y++) {
        for (int x = 0; x < 40; x++) {
          boolean on = x >= x0 && x < x0 + 16 && y >= y0 && y < y0 + 16;
          im.setRGB(x, y, on ? 0xE0E0E0 : rnd.nextInt(0x404040));
          m.getRaster().setSample(x, y, 0, on ? 255 : 0);
        }
      }
      javax.imageio.ImageIO.write(im, "png", data.resolve("images/im" + i + ".png").toFile());
      javax.imageio.ImageIO.write(m, "png", data.resolve("masks/im" + i + ".png").toFile());
    }
    Path run = runDir.resolve("run");
    Config base = TestConfigs.cluster(run, "saliency.learner { slices = 2, checkpoint-every = 2 }\n"
        + "saliency.pipeline { sample-batch = 8, gradient-batch = 8 }\n");
    List<String> first = new ArrayList<>();
    TrainRun.run(new TrainRun.Request(data, SETTINGS, run, false, 60, 8, 0, base, true), System::nanoTime,
        (p, st, e, b, m) -> {}, p -> {}, first::add);
    List<String> second = new ArrayList<>();
    TrainRun.Outcome resumed = TrainRun.run(new TrainRun.Request(null, SETTINGS, run, true, 60, 8, 0, base, true),
        System::nanoTime, (p, st, e, b, m) -> {}, p -> {}, second::add);
    String dataLine = first.stream().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
    assertTrue(dataLine.contains(data.toString()), dataLine);
    assertEquals(dataLine, second.stream().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow(),
        "the resume trains on the recorded folder, not on synthetic scenes");
    assertEquals(16, resumed.rl().progress().samples());
    long heldOutRows = Files.readAllLines(run.resolve(RunReporter.METRICS_CSV)).stream()
        .filter(r -> r.contains(",heldout,")).count();
    assertEquals(3, heldOutRows, "after SFT, after RL, after the resumed RL: all on the folder's held-out split");
  }
}
