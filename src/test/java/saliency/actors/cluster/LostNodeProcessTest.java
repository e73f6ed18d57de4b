package saliency.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.MainProcess;
import saliency.streams.PipelineStats;
import saliency.actors.learner.SliceCheckpoint;
import saliency.actors.learner.SliceHistory;
import saliency.actors.train.StopSignal;
import saliency.actors.train.TrainRun;

/**
 * Clustered runs over real processes that lose a node to SIGKILL mid-run: two {@code node} JVMs on loopback and the
 * driver in the test JVM (three members, so the split-brain resolver's keep-majority downs the killed one), a tiny
 * policy on synthetic scenes and a sample budget. Losing a learner node moves its slices to the other learner node,
 * which restores them from their checkpoints in the run folder; losing a policy node leaves the other to train its
 * share. Checked from the slices' histories in the run folder and the driver's lines.
 */
class LostNodeProcessTest {
  static final int CHECKPOINT_EVERY = 2;
  static final int GRADIENT_BATCH = 8;
  /** Longest wait for the whole run, start-up included (generous: node start-up alone takes minutes on busy cores). */
  static final long RUN_SECONDS = 600;
  /** Short failure handling for a short test: seconds the split-brain resolver waits, the learner's ask timeout. */
  static final List<String> FAST = List.of("-Dpekko.cluster.split-brain-resolver.stable-after=3s",
      "-Dsaliency.policy.ask-timeout=20s", "-Dsaliency.policy.resubscribe-interval=1s");

  @TempDir Path dir;

  @Test
  void lostLearnerNodesSlicesRestoreFromTheirCheckpointsAndTrainingGoesOn() throws Exception {
    Path run = dir.resolve("run");
    long samples = 80;
    List<MainProcess> started = new ArrayList<>();
    try {
      Pair nodes = startTwo(started, "learner,policy", "learner");
      String nodeB = nodes.b();
      Driven d = drive(nodes.seeds(), run, samples, started,
          () -> hostsAnUpdatedSlice(run, nodeB, CHECKPOINT_EVERY + 1), started.get(1));
      String said = d.said(started);
      System.out.println(d.lines().stream().filter(l -> l.contains("recovery") || l.contains("unreachable")
          || l.contains("lost")).reduce("", (x, y) -> x + y + "\n"));

      assertTrue(d.killedAtMillis() > 0, "node B was killed mid-run: " + said);
      assertEquals("samples", d.outcome().rl().stoppedBy(), "the run went to the end of its budget: " + said);
      // gradients on their way to B when it died are lost with it: they fail at the ask timeout, are counted as
      // failures, and nothing else is lost (at most one per gradient call in flight: 2 per policy actor)
      PipelineStats.Snapshot st = d.outcome().rl().stats();
      assertTrue(st.failures() <= 4, "failures " + st.failures() + ": " + said);
      assertTrue(st.trainedSamples() + st.failures() * GRADIENT_BATCH >= samples, "trained " + st.trainedSamples()
          + ", failed " + st.failures() + " gradients: " + said);
      assertTrue(d.lines().stream().anyMatch(l -> l.contains("node " + nodeB + " (learner) unreachable")), said);
      assertTrue(d.lines().stream().anyMatch(l -> l.startsWith("cluster: recovery: ") && l.contains(nodeB)), said);

      long[] versions = d.outcome().rl().versions();
      int moved = 0;
      for (int i = 0; i < versions.length; i++) {
        List<SliceHistory> h = SliceHistory.read(SliceHistory.file(run, i));
        String where = "slice " + i + " " + h + "\n" + said;
        long last = -1;
        long lastCheckpoint = -1;
        long lastByB = -1;
        SliceHistory restored = null;
        for (SliceHistory e : h) {
          switch (e.event()) {
            case INIT, UPDATE -> {
              assertTrue(e.version() > last || (e.event() == SliceHistory.Event.INIT && last < 0),
                  "versions only go up: " + e + " after " + last + ": " + where);
              if (restored != null && last == restored.version()) {
                assertEquals(e.node(), restored.node(), "the first update after the restore was applied where the "
                    + "slice was restored: " + where);
                assertEquals(restored.version() + 1, e.version(), "the first update came from the restored state: "
                    + where);
              }
              if (restored == null && e.node().equals(nodeB) && e.event() == SliceHistory.Event.UPDATE) {
                lastByB = e.version();
              }
              last = e.version();
            }
            case CHECKPOINT -> {
              assertTrue(e.version() >= last, "a checkpoint holds the newest version: " + where);
              lastCheckpoint = e.version();
            }
            case RESTORED -> {
              // an update that reaches a checkpoint boundary is published only after its checkpoint is written: a
              // kill between the two leaves that version unpublished, and the file (or its history line) may or may
              // not be there
              boolean boundaryUnpublished = last == lastCheckpoint + CHECKPOINT_EVERY;
              assertTrue(e.from() == lastCheckpoint || (boundaryUnpublished && e.from() == last),
                  "restored from the last checkpoint written: " + where);
              assertTrue(e.version() > last || (boundaryUnpublished && e.version() == last && e.from() < last),
                  "the restored version is above every version published before it: " + where);
              assertTrue(e.version() > e.from(), "the restored version is above its checkpoint: " + where);
              assertFalse(e.node().equals(nodeB), where);
              if (restored == null && lastByB >= 0) {
                restored = e;
                long lost = lastByB - e.from();
                assertTrue(lost >= 0 && lost <= CHECKPOINT_EVERY, "lost " + lost + " updates: " + where);
              }
              last = e.version();
            }
            default -> throw new AssertionError(e);
          }
        }
        if (restored != null) {
          moved++;
          assertTrue(versions[i] > restored.version(), "the moved slice kept training after the restore: " + where);
        }
        assertEquals(versions[i], last, "the history ends at the slice's final version: " + where);
        assertEquals(versions[i], SliceCheckpoint.read(SliceCheckpoint.file(run, i)).orElseThrow().version(), where);
      }
      assertTrue(moved >= 1, "at least one of B's slices moved to A: " + said);
    } finally {
      for (MainProcess n : started) {
        n.kill();
      }
    }
  }

  @Test
  void lostPolicyNodeLeavesTheOthersTraining() throws Exception {
    Path run = dir.resolve("run");
    long samples = 80;
    List<MainProcess> started = new ArrayList<>();
    try {
      Pair nodes = startTwo(started, "learner,policy", "policy");
      String nodeA = nodes.a();
      String nodeC = nodes.b();
      MainProcess c = started.get(1);
      Driven d = drive(nodes.seeds(), run, samples, started,
          () -> c.output().contains("training as policy node") && hostsAnUpdatedSlice(run, nodeA, 3), c);
      String said = d.said(started);
      System.out.println(d.lines().stream().filter(l -> l.contains("lost") || l.contains("unreachable")
          || l.contains(" trained ")).reduce("", (x, y) -> x + y + "\n"));

      assertTrue(d.killedAtMillis() > 0, "node C was killed mid-run: " + said);
      assertTrue(d.lines().stream().anyMatch(l -> l.startsWith("cluster: node " + nodeC + " lost")),
          "the driver says C was lost: " + said);
      assertTrue(d.lines().stream().anyMatch(l -> l.startsWith("cluster: nodes lost during the run: ")
          && l.contains(nodeC)), said);
      assertEquals("samples", d.outcome().rl().stoppedBy(), said);
      long share = samples / 2;
      assertTrue(d.lines().stream().anyMatch(l -> l.matches("cluster: node " + nodeA.replace(".", "\\.")
          + " trained (\\d+) samples.*") && Long.parseLong(l.replaceAll(".* trained (\\d+) samples.*", "$1"))
          >= share), "A trained its whole share after C was lost: " + said);
      long after = 0;
      for (int i = 0; i < d.outcome().rl().versions().length; i++) {
        after += SliceHistory.read(SliceHistory.file(run, i)).stream()
            .filter(e -> e.event() == SliceHistory.Event.UPDATE && e.millis() > d.killedAtMillis()).count();
      }
      assertTrue(after > 0, "the slices were updated after C was killed: " + said);
    } finally {
      for (MainProcess n : started) {
        n.kill();
      }
    }
  }

  /** The seed list and the addresses of two started nodes. */
  record Pair(String seeds, String a, String b) {}

  /** Starts node A (the first seed) with {@code rolesA} and node B with {@code rolesB}, adding them to {@code started}. */
  private Pair startTwo(List<MainProcess> started, String rolesA, String rolesB) throws IOException {
    int portA = NodeProcess.freePort();
    int portB = NodeProcess.freePort();
    String seeds = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    started.add(NodeProcess.start(portA, seeds, dir, FAST, "--roles", rolesA));
    started.add(NodeProcess.start(portB, seeds, dir, FAST, "--roles", rolesB));
    String prefix = "pekko://" + NodeConfig.SYSTEM + "@127.0.0.1:";
    return new Pair(seeds, prefix + portA, prefix + portB);
  }

  /** Whether a slice whose newest update was applied on {@code node} reached version {@code atLeast}. */
  static boolean hostsAnUpdatedSlice(Path run, String node, long atLeast) {
    for (int i = 0; i < 64; i++) {
      try {
        List<SliceHistory> h = SliceHistory.read(SliceHistory.file(run, i));
        if (h.isEmpty()) {
          return false;
        }
        SliceHistory e = h.get(h.size() - 1);
        if (e.node().equals(node) && e.version() >= atLeast && e.event() != SliceHistory.Event.RESTORED) {
          return true;
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    return false;
  }

  /** The driver's outcome and lines, and when the victim was killed (epoch ms, 0 when it never was). */
  record Driven(TrainRun.Outcome outcome, List<String> lines, long killedAtMillis) {
    String said(List<MainProcess> nodes) {
      StringBuilder b = new StringBuilder(String.join("\n", lines));
      for (MainProcess n : nodes) {
        b.append("\n--- ").append(n.log().getFileName()).append(":\n").append(n.output());
      }
      return b.toString();
    }
  }

  /**
   * Runs the driver of a run over {@code nodes} in the test JVM and kills {@code victim} (SIGKILL) as soon as
   * {@code killWhen} holds; fails when another node exits by itself or the run takes longer than
   * {@link #RUN_SECONDS}.
   */
  private Driven drive(String seeds, Path run, long samples, List<MainProcess> nodes, BooleanSupplier killWhen,
      MainProcess victim) throws Exception {
    Config base = NodeProcess.driverConfig(seeds, run, "pekko.cluster.split-brain-resolver.stable-after = 3s\n"
        + "saliency.learner.checkpoint-every = " + CHECKPOINT_EVERY + "\n"
        + "saliency.pipeline.gradient-batch = " + GRADIENT_BATCH + "\n");
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    StopSignal stop = new StopSignal();
    ExecutorService driver = Executors.newSingleThreadExecutor();
    try {
      Future<TrainRun.Outcome> outcome = driver.submit(() -> TrainRun.run(new TrainRun.Request(null,
              ClusterTrainingProcessTest.TINY, run, false, 0, samples, 0, base, true), System::nanoTime,
          (ph, st, e, b, m) -> {}, p -> {}, lines::add, stop, new ClusterTraining(nodes.size(), Duration.ofSeconds(90),
              lines::add)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_SECONDS);
      long killedAt = 0;
      while (!outcome.isDone() && System.nanoTime() < deadline) {
        if (nodes.stream().anyMatch(n -> !n.process().isAlive() && n != victim)) {
          stop.request("a node exited by itself");
          throw new AssertionError("a node exited by itself: " + new Driven(null, List.copyOf(lines), killedAt)
              .said(nodes));
        }
        if (killedAt == 0 && Files.isDirectory(run.resolve("learner")) && killWhen.getAsBoolean()) {
          killedAt = System.currentTimeMillis();
          victim.kill();
          lines.add("test: killed " + victim.log().getFileName() + " (SIGKILL) at " + killedAt);
        }
        Thread.sleep(100);
      }
      if (!outcome.isDone()) {
        stop.request("test time limit");
      }
      return new Driven(outcome.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L) + 60,
          TimeUnit.SECONDS), List.copyOf(lines), killedAt);
    } finally {
      stop.request("test ends");
      driver.shutdownNow();
    }
  }
}
