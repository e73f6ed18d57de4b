package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.MainProcess;
import saliency.actors.TestConfigs;
import saliency.actors.learner.SliceCheckpoint;
import saliency.actors.train.RunProgress;
import saliency.actors.train.TrainRun;
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.train.RunFolder;

/**
 * Ctrl-C in the middle of RL: {@code train} runs in a JVM of its own, gets SIGINT once RL is under way, checkpoints
 * every learner slice, writes {@code policy.ckpt}, says where, and exits; {@code --resume} then continues the run.
 */
class TrainSigintTest {
  @TempDir Path dir;

  @Test
  void sigintMidRlCheckpointsAndTheRunResumes() throws Exception {
    assumeTrue(kill("-l"), "no kill command to send SIGINT with: skipped");
    Path run = dir.resolve("run");
    Path out = dir.resolve("train.out");
    try (MainProcess p = MainProcess.start(out, List.of("-Xmx2g", "-Dpekko.loglevel=WARNING",
        "-Dpekko.remote.artery.canonical.port=0"), List.of("train", "--samples", "100000", "--sft-seconds", "1",
        "--eval-images", "4", "--eval-every", "0", "--out", run.toString()))) {
      // RL is under way once the session has recorded trained samples
      p.await(() -> trained(run) > 0, "RL did not start", 240);
      assertTrue(kill("-INT", Long.toString(p.process().pid())), "kill -INT " + p.process().pid());
      assertTrue(p.process().waitFor(90, TimeUnit.SECONDS), "train did not exit after SIGINT: " + p.output());
    }
    String log = Files.readString(out);
    RunFolder folder = new RunFolder(run);
    assertTrue(Files.isRegularFile(folder.policyFile()), "SIGINT wrote policy.ckpt: " + log);
    assertTrue(log.contains("stopped (signal)") && log.contains("learner slices checkpointed in")
        && log.contains("--resume " + run), "said where: " + log);
    List<Path> slices;
    try (Stream<Path> s = Files.list(SliceCheckpoint.file(run, 0).getParent())) {
      slices = s.filter(f -> f.getFileName().toString().matches("slice-\\d+\\.ckpt")).sorted().toList();
    }
    assertTrue(!slices.isEmpty(), "learner slices: " + log);
    RunProgress stopped = RunProgress.read(run).orElseThrow();
    assertTrue(stopped.samples() > 0, "trained before the stop: " + stopped);
    // the slices hold the final weights, which policy.ckpt holds too
    long[] versions = new long[slices.size()];
    for (int i = 0; i < slices.size(); i++) {
      versions[i] = SliceCheckpoint.read(slices.get(i)).orElseThrow().version();
    }
    assertTrue(PolicyCheckpoint.load(folder.policyFile()).weights().length > 0);

    // --resume continues from the checkpoint
    Config base = TestConfigs.cluster(run, "");
    TrainRun.Outcome resumed = TrainRun.run(new TrainRun.Request(null, folder.readSettings(), run, true, 60, 8, 0,
        base, true), System::nanoTime, (ph, st, e, b, m) -> {}, pr -> {}, line -> {});
    assertTrue(resumed.rl().progress().samples() >= stopped.samples() + 8, "samples accumulate: "
        + resumed.rl().progress() + " after " + stopped);
    assertTrue(resumed.rl().progress().position().index() > stopped.position().index());
    for (int i = 0; i < versions.length; i++) {
      assertTrue(resumed.rl().versions()[i] > versions[i], "slice " + i + " went on from its checkpoint");
    }
    assertEquals(versions.length, resumed.rl().versions().length);
  }

  /** Samples trained as the run folder's progress records them (0 before RL). */
  private static long trained(Path run) {
    try {
      return RunProgress.read(run).map(RunProgress::samples).orElse(0L);
    } catch (IOException e) {
      return 0; // being replaced
    }
  }

  /** Runs {@code kill args}; false when there is no kill command or it fails. */
  private static boolean kill(String... args) throws InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("kill"));
    cmd.addAll(List.of(args));
    try {
      Process k = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(
          ProcessBuilder.Redirect.DISCARD).start();
      return k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
