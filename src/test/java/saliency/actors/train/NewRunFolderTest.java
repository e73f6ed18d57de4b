package saliency.actors.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.learner.SliceCheckpoint;
import saliency.model.train.RunFolder;

/** {@code train --out}: a new run only goes into an absent or empty folder or a run folder that holds no run yet. */
class NewRunFolderTest {
  @TempDir Path dir;

  private IOException refused(Path runDir) {
    TrainRun.Request r = new TrainRun.Request(null, TrainRunTest.SETTINGS, runDir, false, 60, 8, 0,
        TestConfigs.cluster(runDir, ""), true);
    return assertThrows(IOException.class, () -> TrainRun.run(r, System::nanoTime, (p, st, e, b, m) -> {}, p -> {},
        line -> {}));
  }

  @Test
  void aFolderOfSomeoneElsesFilesIsLeftAlone() throws IOException {
    Path out = dir.resolve("mine");
    Files.createDirectories(out);
    Files.writeString(out.resolve("metrics.csv"), "my,own,numbers\n");
    Files.writeString(out.resolve("notes.txt"), "keep me");
    IOException e = refused(out);
    assertTrue(e.getMessage().contains(out.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not a run folder"), e.getMessage());
    assertEquals("my,own,numbers\n", Files.readString(out.resolve("metrics.csv")));
    assertEquals(List.of("metrics.csv", "notes.txt"),
        Files.list(out).map(p -> p.getFileName().toString()).sorted().toList());
  }

  @Test
  void aRunFolderWithProgressOrCheckpointsSaysResume() throws IOException {
    Path progress = dir.resolve("run-a");
    new RunFolder(progress).writeSettings(TrainRunTest.SETTINGS);
    Files.writeString(progress.resolve(RunProgress.FILE), "samples=8\n");
    IOException e = refused(progress);
    assertTrue(e.getMessage().contains(progress.toString()) && e.getMessage().contains("--resume"), e.getMessage());

    Path slices = dir.resolve("run-b");
    new RunFolder(slices).writeSettings(TrainRunTest.SETTINGS);
    Files.createDirectories(SliceCheckpoint.file(slices, 1).getParent());
    Files.write(SliceCheckpoint.file(slices, 1), new byte[] {1});
    e = refused(slices);
    assertTrue(e.getMessage().contains(slices.toString()) && e.getMessage().contains("--resume"), e.getMessage());
    assertTrue(e.getMessage().contains("learner checkpoints"), e.getMessage());

    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");
    assertTrue(refused(file).getMessage().contains(file.toString()));
  }

  @Test
  void absentEmptyOrFreshRunFoldersAreFine() throws IOException {
    assertDoesNotThrow(() -> TrainRun.checkNewRunFolder(dir.resolve("absent")));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertDoesNotThrow(() -> TrainRun.checkNewRunFolder(empty));
    Path stopped = dir.resolve("stopped-in-sft");
    new RunFolder(stopped).writeSettings(TrainRunTest.SETTINGS);
    assertDoesNotThrow(() -> TrainRun.checkNewRunFolder(stopped));
    Files.writeString(stopped.resolve(RunFolder.POLICY), "x");
    assertFalse(assertThrows(IOException.class, () -> TrainRun.checkNewRunFolder(stopped)).getMessage().isEmpty());
  }
}
