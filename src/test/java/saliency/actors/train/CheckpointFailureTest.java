package saliency.actors.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.learner.SliceCheckpoint;
import saliency.model.train.RunFolder;

/**
 * A learner checkpoint that cannot be written in the middle of RL stops the run at once with one clear error naming the
 * slice, its file and how to go on; the slice keeps its last good checkpoint and no {@code policy.ckpt} is written.
 * The failure is real, not simulated: a non-empty folder sits where the checkpoint's temporary file goes (a write that
 * even root cannot do), put there once RL is under way.
 */
class CheckpointFailureTest {
  @TempDir Path runDir;

  @Test
  void aFailedCheckpointWriteStopsTheRunWithOneClearError() throws Exception {
    Config base = TestConfigs.cluster(runDir,
        "saliency.learner { slices = 2, checkpoint-every = 2 }\n"
            + "saliency.pipeline { sample-batch = 8, gradient-batch = 8 }\n");
    Path ckpt = SliceCheckpoint.file(runDir, 0);
    Path blocker = ckpt.resolveSibling(ckpt.getFileName() + ".tmp");
    List<Long> goodVersions = new ArrayList<>();
    OnlineTraining.Listener blockOnce = p -> {
      if (goodVersions.isEmpty()) {
        try {
          Optional<SliceCheckpoint> last = SliceCheckpoint.read(ckpt);
          if (last.isEmpty()) {
            return; // no checkpoint yet: block once there is a good one to keep
          }
          long good = last.get().version();
          try {
            Files.createDirectory(blocker);
          } catch (FileAlreadyExistsException writing) {
            return; // the slice is writing its temporary file right now: block at the next progress line
          }
          Files.writeString(blocker.resolve("in-the-way"), "x");
          goodVersions.add(good);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    List<String> log = new ArrayList<>();
    TrainRun.Request request = new TrainRun.Request(null, TrainRunTest.SETTINGS, runDir, false, 60, 64, 0, base, true);
    IOException e = assertThrows(IOException.class, () -> TrainRun.run(request, System::nanoTime,
        (ph, st, el, b, m) -> {}, blockOnce, log::add));

    assertTrue(e.getMessage().startsWith("learner slice 0 cannot write its checkpoint " + ckpt)
        && e.getMessage().contains("train --resume " + runDir), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertEquals(1, goodVersions.size(), "RL was under way when the folder got in the way");
    assertTrue(SliceCheckpoint.read(ckpt).orElseThrow().version() >= goodVersions.get(0),
        "the last good checkpoint stays readable");
    assertFalse(Files.exists(new RunFolder(runDir).policyFile()), "no policy.ckpt from a failed run");
    try (Stream<Path> files = Files.list(runDir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file in the run");
    }
  }
}
