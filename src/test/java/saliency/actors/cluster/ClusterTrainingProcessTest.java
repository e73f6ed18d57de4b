package saliency.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.MainProcess;
import saliency.actors.learner.SliceCheckpoint;
import saliency.actors.train.StopSignal;
import saliency.actors.train.TrainRun;
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.train.RunFolder;
import saliency.model.train.TinySettings;
import saliency.model.train.TrainSettings;

/**
 * A clustered run over real processes: two {@code node} JVMs on loopback (one {@code learner}, one
 * {@code learner,policy}) and the driver ({@code train --cluster}'s {@link ClusterTraining}) in the test JVM, with a
 * tiny policy on synthetic scenes and a sample budget. The run folder gets {@code policy.ckpt}, the learner slices'
 * versions rise, and every trained sample came from the policy node.
 */
class ClusterTrainingProcessTest {
  static final TrainSettings TINY = TinySettings.of("calibrated", 5L);
  static final long SAMPLES = 48;

  @TempDir Path dir;

  @Test
  void policyNodeTrainsAndTheDriverWritesTheRun() throws Exception {
    int portA = NodeProcess.freePort();
    int portB = NodeProcess.freePort();
    String seeds = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    Path run = dir.resolve("run");
    List<MainProcess> started = new ArrayList<>();
    try {
      started.add(NodeProcess.start(portA, seeds, dir, "--roles", "learner"));
      started.add(NodeProcess.start(portB, seeds, dir, "--roles", "learner,policy"));
      Path logA = started.get(0).log();
      Path logB = started.get(1).log();
      Config base = NodeProcess.driverConfig(seeds, run, "");
      List<String> lines = Collections.synchronizedList(new ArrayList<>());
      TrainRun.Outcome o = TrainRun.run(new TrainRun.Request(null, TINY, run, false, 0, SAMPLES, 0, base, true),
          System::nanoTime, (ph, st, e, b, m) -> {}, p -> {}, lines::add, new StopSignal(),
          new ClusterTraining(2, Duration.ofSeconds(90), lines::add));
      String said = String.join("\n", lines) + "\n--- node A:\n" + read(logA) + "\n--- node B:\n" + read(logB);

      assertTrue(Files.isRegularFile(new RunFolder(run).policyFile()), "policy.ckpt written: " + said);
      assertEquals(PolicyCheckpoint.load(new RunFolder(run).policyFile()).weights().length,
          o.rl().weights().length, said);
      long trained = o.rl().stats().trainedSamples();
      assertTrue(trained >= SAMPLES, "the budget was trained: " + trained + "\n" + said);
      assertEquals("samples", o.rl().stoppedBy(), said);
      String nodeB = "pekko://" + NodeConfig.SYSTEM + "@127.0.0.1:" + portB;
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("cluster: node " + nodeB + " trained " + trained
          + " samples")), "every sample came from the policy node B: " + said);
      assertTrue(lines.stream().noneMatch(l -> l.contains("@127.0.0.1:" + portA + " trained")),
          "the learner-only node A trained nothing: " + said);
      assertTrue(java.util.Arrays.stream(o.rl().versions()).allMatch(v -> v > 0), "every slice was updated: "
          + java.util.Arrays.toString(o.rl().versions()) + "\n" + said);
      // the slices checkpointed their final versions in the run folder
      List<Path> slices;
      try (Stream<Path> s = Files.list(SliceCheckpoint.file(run, 0).getParent())) {
        slices = s.filter(f -> f.getFileName().toString().matches("slice-\\d+\\.ckpt")).sorted().toList();
      }
      assertEquals(o.rl().versions().length, slices.size(), said);
      for (Path f : slices) {
        SliceCheckpoint c = SliceCheckpoint.read(f).orElseThrow();
        assertEquals(o.rl().versions()[c.sliceIndex()], c.version(), f + "\n" + said);
      }
      // the nodes stay up for the next run
      assertTrue(started.stream().allMatch(n -> n.process().isAlive()), said);
      assertTrue(read(logB).contains("stopped after " + trained + " samples trained here"), said);
    } finally {
      for (MainProcess n : started) {
        n.kill();
      }
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }
}
