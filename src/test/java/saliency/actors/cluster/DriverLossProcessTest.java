package saliency.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.MainProcess;
import saliency.actors.learner.SliceCheckpoint;
import saliency.actors.train.RunProgress;
import saliency.actors.train.StopSignal;
import saliency.actors.train.TrainRun;

/**
 * The driver of a clustered run dies (SIGKILL of its {@code train --resume RUN --cluster} process) while two
 * {@code node} JVMs train: the nodes say the driver is gone, stop that run's training and stay up; the learner
 * slices keep their checkpoints; and {@code --resume} with a new driver continues the run from them, every slice's
 * version going on from its checkpoint and the run's samples adding up.
 */
class DriverLossProcessTest {
  @TempDir Path dir;

  @Test
  void aKilledDriversRunStopsOnTheNodesAndResumeContinuesIt() throws Exception {
    int portA = NodeProcess.freePort();
    int portB = NodeProcess.freePort();
    String seeds = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    Path run = dir.resolve("run");
    List<MainProcess> started = new ArrayList<>();
    try {
      started.add(NodeProcess.start(portA, seeds, dir, LostNodeProcessTest.FAST, "--roles", "learner,policy"));
      started.add(NodeProcess.start(portB, seeds, dir, LostNodeProcessTest.FAST, "--roles", "learner"));
      MainProcess a = started.get(0);

      // a first session makes the run folder (tiny policy) and its slice checkpoints
      List<String> lines = Collections.synchronizedList(new ArrayList<>());
      TrainRun.Outcome first = drive(seeds, run, false, 16, lines);
      long firstSamples = RunProgress.read(run).orElseThrow().samples();
      assertTrue(firstSamples >= 16, first.rl().progress() + "\n" + String.join("\n", lines));

      // the same run resumed by a driver of its own, killed once it has trained more
      MainProcess driver = MainProcess.start(dir.resolve("driver.log"), List.of("-Xmx1g",
          "-Dpekko.loglevel=WARNING", "-Dpekko.cluster.jmx.enabled=off",
          "-Dpekko.cluster.split-brain-resolver.stable-after=3s"), List.of("train", "--resume", run.toString(),
          "--cluster", "--seeds", seeds, "--nodes", "2", "--samples", "100000", "--eval-every", "0"));
      started.add(driver);
      driver.await(() -> a.output().contains("training as policy node") && progressAbove(run, firstSamples),
          "the resumed session did not train", 300);
      long[] atKill = versions(run, first.rl().versions().length);
      driver.kill();
      a.await(l -> l.contains("the driver is gone; stopping this node's training"), 120);
      assertTrue(started.get(0).process().isAlive() && started.get(1).process().isAlive(),
          "the nodes stay up: " + a.output());
      long killedSamples = RunProgress.read(run).orElseThrow().samples();

      // a new driver resumes the run: the slices go on from their checkpoints
      lines.clear();
      TrainRun.Outcome resumed = drive(seeds, run, true, 16, lines);
      String said = String.join("\n", lines) + "\n--- node A:\n" + a.output() + "\n--- driver:\n"
          + Files.readString(driver.log());
      assertEquals("samples", resumed.rl().stoppedBy(), said);
      assertTrue(resumed.rl().progress().samples() >= killedSamples + 16, "samples add up: "
          + resumed.rl().progress() + " after " + killedSamples + ": " + said);
      long[] after = resumed.rl().versions();
      for (int i = 0; i < after.length; i++) {
        assertTrue(after[i] > atKill[i], "slice " + i + " went on from its checkpoint " + atKill[i] + " to "
            + after[i] + ": " + said);
        assertEquals(after[i], SliceCheckpoint.read(SliceCheckpoint.file(run, i)).orElseThrow().version(), said);
      }
    } finally {
      for (MainProcess n : started) {
        n.kill();
      }
    }
  }

  /** Runs a driver in this JVM over the two nodes with a sample budget. */
  private static TrainRun.Outcome drive(String seeds, Path run, boolean resume, long samples, List<String> lines)
      throws Exception {
    Config base = NodeProcess.driverConfig(seeds, run, "pekko.cluster.split-brain-resolver.stable-after = 3s\n");
    TrainRun.Request request = resume
        ? new TrainRun.Request(null, new saliency.model.train.RunFolder(run).readSettings(), run, true, 0, samples, 0,
            base, true)
        : new TrainRun.Request(null, ClusterTrainingProcessTest.TINY, run, false, 0, samples, 0, base, true);
    return TrainRun.run(request, System::nanoTime, (ph, st, e, b, m) -> {}, p -> {}, lines::add, new StopSignal(),
        new ClusterTraining(2, Duration.ofSeconds(90), lines::add));
  }

  private static boolean progressAbove(Path run, long samples) {
    try {
      return RunProgress.read(run).map(RunProgress::samples).orElse(0L) > samples;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Every slice's checkpointed version. */
  private static long[] versions(Path run, int slices) throws java.io.IOException {
    long[] v = new long[slices];
    for (int i = 0; i < slices; i++) {
      v[i] = SliceCheckpoint.read(SliceCheckpoint.file(run, i)).orElseThrow().version();
    }
    return v;
  }
}
