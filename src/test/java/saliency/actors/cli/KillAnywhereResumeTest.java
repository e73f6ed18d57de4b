package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import saliency.actors.MainProcess;
import saliency.actors.learner.SliceCheckpoint;
import saliency.actors.train.RunProgress;
import saliency.model.data.DataPosition;
import saliency.model.report.EventFileWriter;
import saliency.model.report.RunReporter;
import saliency.model.train.RunFolder;

/**
 * Kill-anywhere resume: one run of {@code train} on synthetic scenes, each session a JVM of its own, is killed with
 * SIGKILL at seeded random times in each phase (during SFT, at the switch from SFT to RL, in the first second of RL,
 * later in RL, in the first second of a resumed RL) and resumed with {@code train --resume RUN} every time; the last
 * session runs to its end. After every session the folder's samples, data position and learner slice versions are at
 * least those before it, no checkpoint is torn, and {@code metrics.csv} holds no step twice; at the end neither do the
 * TensorBoard event files.
 */
class KillAnywhereResumeTest {
  static final long SEED = 14;
  static final long SESSION_SECONDS = 120;

  @TempDir Path dir;

  /** Where a session is killed: after {@code marker} holds, a delay drawn from [{@code fromMs}, {@code toMs}). */
  private record Case(String phase, int fromMs, int toMs) {}

  @Test
  void aRunKilledAnywhereResumesWithoutGoingBackwards() throws Exception {
    Path run = dir.resolve("run");
    Random rnd = new Random(SEED);
    List<Case> cases = List.of(new Case("sft", 0, 1500), new Case("sft/rl switch", 0, 500),
        new Case("rl, first second", 0, 1000), new Case("rl", 1000, 4000), new Case("resumed rl, first second", 0, 1000));
    Snapshot last = Snapshot.of(run);
    int session = 0;
    for (Case c : cases) {
      List<String> args = session == 0
          ? List.of("train", "--samples", "100000", "--sft-seconds", "2", "--eval-images", "4", "--eval-every", "0",
              "--out", run.toString())
          : List.of("train", "--resume", run.toString(), "--samples", "100000", "--eval-every", "0");
      FileTime started = FileTime.fromMillis(System.currentTimeMillis());
      try (MainProcess p = start(session++, args)) {
        BooleanSupplier marker = switch (c.phase()) {
          case "sft" -> () -> Files.exists(run.resolve(RunFolder.SETTINGS));
          case "sft/rl switch" -> () -> p.output().contains("held-out after SFT");
          default -> () -> sliceWrittenSince(run, started);
        };
        p.await(marker, "session " + session + " did not reach " + c.phase(), SESSION_SECONDS);
        int delay = c.fromMs() + rnd.nextInt(c.toMs() - c.fromMs());
        Thread.sleep(delay);
        assertTrue(p.process().isAlive(), "session " + session + " exited before its kill: " + p.output());
        p.kill();
        Snapshot now = Snapshot.of(run);
        now.assertNotBehind(last, "session " + session + " killed in " + c.phase() + " (+" + delay + " ms): "
            + p.output());
        System.out.printf("kill case %d: %s +%d ms: samples %s, position %s, slices %s%n", session, c.phase(), delay,
            now.progress.map(RunProgress::samples).orElse(null), now.progress.map(RunProgress::position).orElse(null),
            now.versions);
        last = now;
      }
    }
    try (MainProcess p = start(session, List.of("train", "--resume", run.toString(), "--samples", "8",
        "--eval-every", "0"))) {
      assertEquals(0, p.exitValue(SESSION_SECONDS), "the last resume runs to its end: " + p.output());
      Snapshot end = Snapshot.of(run);
      end.assertNotBehind(last, "the last session: " + p.output());
      assertTrue(end.progress.orElseThrow().samples() > last.progress.map(RunProgress::samples).orElse(0L),
          "the last session trained: " + p.output());
      assertTrue(Files.isRegularFile(new RunFolder(run).policyFile()), p.output());
    }
    Set<String> steps = new HashSet<>();
    List<Path> events;
    try (Stream<Path> s = Files.list(run.resolve(RunReporter.TENSORBOARD))) {
      events = s.sorted().toList();
    }
    for (Path f : events) {
      for (Event e : EventFileWriter.read(f)) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          assertTrue(steps.add(v.getTag() + "@" + e.getStep()), "TensorBoard repeats " + v.getTag() + " step "
              + e.getStep() + " (" + f.getFileName() + " of " + events.size() + " event files)");
        }
      }
    }
    assertTrue(steps.stream().anyMatch(t -> t.startsWith("train/")), "TensorBoard has training steps: " + steps);
    System.out.printf("kill-anywhere resume: %d cases run (seed %d), 0 failures%n", cases.size(), SEED);
  }

  private MainProcess start(int session, List<String> args) throws IOException {
    return MainProcess.start(dir.resolve("session-" + session + ".log"),
        List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-Dpekko.cluster.jmx.enabled=off"), args);
  }

  /** Whether a learner slice checkpoint was written at or after {@code since} (this session's RL is under way). */
  private static boolean sliceWrittenSince(Path run, FileTime since) {
    Path learner = SliceCheckpoint.file(run, 0).getParent();
    if (!Files.isDirectory(learner)) {
      return false;
    }
    try (Stream<Path> files = Files.list(learner)) {
      return files.anyMatch(f -> {
        try {
          return f.getFileName().toString().endsWith(".ckpt") && Files.getLastModifiedTime(f).compareTo(since) >= 0;
        } catch (IOException e) {
          return false; // renamed over meanwhile
        }
      });
    } catch (IOException e) {
      return false;
    }
  }

  /** What a run folder holds after a session: progress, learner slice versions, metrics rows (seconds, samples, kind). */
  private record Snapshot(Optional<RunProgress> progress, Map<Integer, Long> versions, List<String[]> rows) {
    static Snapshot of(Path run) throws IOException {
      Map<Integer, Long> versions = new TreeMap<>();
      Path learner = SliceCheckpoint.file(run, 0).getParent();
      if (Files.isDirectory(learner)) {
        List<Path> files;
        try (Stream<Path> s = Files.list(learner)) {
          files = s.filter(f -> f.getFileName().toString().matches("slice-\\d+\\.ckpt")).toList();
        }
        for (Path f : files) {
          SliceCheckpoint c = SliceCheckpoint.read(f).orElseThrow(); // a torn checkpoint fails here, naming it
          versions.put(c.sliceIndex(), c.version());
        }
      }
      List<String[]> rows = new ArrayList<>();
      Path csv = run.resolve(RunReporter.METRICS_CSV);
      if (Files.exists(csv)) {
        List<String> lines = Files.readAllLines(csv);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          String[] f = line.split(",", 4);
          boolean torn = f.length < 3 || !f[1].matches("\\d+");
          if (line.startsWith("#") || line.isBlank() || (torn && i == lines.size() - 1)) {
            continue; // a comment, or the last line cut by the kill
          }
          assertTrue(!torn, csv + ": bad row " + (i + 1) + ": " + line);
          rows.add(f);
        }
      }
      return new Snapshot(RunProgress.read(run), versions, rows);
    }

    /** Fails unless this folder state is at least {@code before} and its metrics hold no step twice. */
    void assertNotBehind(Snapshot before, String context) {
      if (before.progress.isPresent()) {
        assertTrue(progress.isPresent(), "progress.properties disappeared; " + context);
        RunProgress a = before.progress.get();
        RunProgress b = progress.get();
        assertTrue(b.samples() >= a.samples(), "samples went back " + a + " -> " + b + "; " + context);
        assertTrue(compare(b.position(), a.position()) >= 0, "data position went back " + a + " -> " + b + "; "
            + context);
        assertTrue(b.seconds() >= a.seconds(), "RL seconds went back " + a + " -> " + b + "; " + context);
        before.versions.forEach((slice, v) -> assertTrue(versions.getOrDefault(slice, -1L) >= v,
            "slice " + slice + " version went back " + v + " -> " + versions.get(slice) + "; " + context));
      }
      Set<String> steps = new HashSet<>();
      double seconds = 0;
      for (String[] r : rows) {
        assertTrue(steps.add(r[2] + "@" + r[1]), "metrics.csv repeats " + r[2] + " step " + r[1] + "; " + context);
        double t = Double.parseDouble(r[0]);
        assertTrue(t >= seconds, "metrics.csv seconds went back " + seconds + " -> " + t + "; " + context);
        seconds = t;
      }
    }

    private static int compare(DataPosition a, DataPosition b) {
      return a.epoch() != b.epoch() ? Long.compare(a.epoch(), b.epoch()) : Integer.compare(a.index(), b.index());
    }
  }
}
