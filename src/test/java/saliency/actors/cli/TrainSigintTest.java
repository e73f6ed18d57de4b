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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g", "-cp", cp,
        "-Dpekko.loglevel=WARNING", "-Dpekko.remote.artery.canonical.port=0",
        "saliency.actors.cli.Main", "train", "--samples", "100000", "--sft-seconds", "1", "--eval-images", "4",
        "--eval-every", "0", "--out", run.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    try {
      // RL is under way once the session has written its data position (every 5 s of RL)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (!Files.exists(run.resolve(RunProgress.FILE)) && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(p.isAlive() && Files.exists(run.resolve(RunProgress.FILE)),
          "RL did not start: " + Files.readString(out));
      assertTrue(kill("-INT", Long.toString(p.pid())), "kill -INT " + p.pid());
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "train did not exit after SIGINT: " + Files.readString(out));
    } finally {
      p.destroyForcibly();
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
