package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
  @Test
  void settingsRoundTrip(@TempDir Path dir) throws IOException {
    TrainSettings s = TrainSettings.defaults().withAlgo("grpo", "head").withSeed(42).withLearningRates(2e-3, 3e-5);
    RunFolder run = new RunFolder(dir.resolve("run"));
    run.writeSettings(s);
    assertEquals(s, run.readSettings());
  }

  @Test
  void missingFilesAndKeysAreNamed(@TempDir Path dir) throws IOException {
    RunFolder run = new RunFolder(dir);
    IOException e = assertThrows(IOException.class, run::readSettings);
    assertTrue(e.getMessage().contains(RunFolder.SETTINGS), e.getMessage());
    Files.writeString(run.settingsFile(), "image-size=64\n");
    e = assertThrows(IOException.class, run::readSettings);
    assertTrue(e.getMessage().contains("'bins'"), e.getMessage());
  }
}
