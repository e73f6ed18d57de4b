package saliency.actors.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.train.RunFolder;

/** The data of a resumed run is the one its folder records: absent {@code --data} takes it, another is refused. */
class ResumeDataTest {
  @TempDir Path dir;

  @Test
  void aFolderRunResumesOnItsFolderAndRefusesAnother() throws IOException {
    Path duts = Files.createDirectories(dir.resolve("DUTS-TR"));
    RunFolder run = new RunFolder(dir.resolve("run"));
    run.writeSettings(TrainRunTest.SETTINGS, duts);
    assertEquals(duts.toAbsolutePath(), TrainRun.resumeData(run, null), "no --data: the recorded folder");
    assertEquals(duts.toAbsolutePath(), TrainRun.resumeData(run, dir.resolve("x/../DUTS-TR")));
    Path other = Files.createDirectories(dir.resolve("DUTS-TE"));
    IOException e = assertThrows(IOException.class, () -> TrainRun.resumeData(run, other));
    assertTrue(e.getMessage().startsWith("--data " + other) && e.getMessage().contains(duts.toString()),
        e.getMessage());
  }

  @Test
  void aSyntheticRunStaysSyntheticAndAnOldFolderTakesWhatIsGiven() throws IOException {
    RunFolder synthetic = new RunFolder(dir.resolve("synthetic"));
    synthetic.writeSettings(TrainRunTest.SETTINGS, null);
    assertNull(TrainRun.resumeData(synthetic, null));
    IOException e = assertThrows(IOException.class, () -> TrainRun.resumeData(synthetic, dir));
    assertTrue(e.getMessage().contains("synthetic scenes"), e.getMessage());

    RunFolder old = new RunFolder(dir.resolve("old"));
    old.writeSettings(TrainRunTest.SETTINGS);
    assertNull(TrainRun.resumeData(old, null));
    assertEquals(dir, TrainRun.resumeData(old, dir));
  }
}
