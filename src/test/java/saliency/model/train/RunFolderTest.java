package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.tfjs.MobileNetV2Features;

class RunFolderTest {
  @Test
  void settingsRoundTrip(@TempDir Path dir) throws IOException {
    TrainSettings d = TrainSettings.defaults();
    TrainSettings s = d.withRl(d.rl().withAlgo(saliency.model.rl.AlgorithmName.GRPO, "head")).withSeed(42)
        .withSft(d.sft().withLearningRate(2e-3)).withRlPhase(d.rlPhase().withLearningRate(3e-5));
    RunFolder run = new RunFolder(dir.resolve("run"));
    run.writeSettings(s);
    assertEquals(s, run.readSettings());
  }

  @Test
  void encoderRoundTripsAndOldFoldersLoadAsConv(@TempDir Path dir) throws IOException {
    TrainSettings s =
        TrainSettings.defaults().withEncoding(TrainSettings.Encoding.mobileNet(MobileNetV2Features.MAP_7X7X448));
    RunFolder run = new RunFolder(dir.resolve("mobilenet"));
    run.writeSettings(s);
    TrainSettings back = run.readSettings();
    assertEquals(s, back);
    assertEquals("mobilenet_v2", back.encoding().encoder());
    assertEquals(List.of(7, 7, 448), toList(back.policyConfig().inputShape()));

    RunFolder old = new RunFolder(dir.resolve("old"));
    old.writeSettings(TrainSettings.defaults().withSeed(9));
    List<String> lines = Files.readAllLines(old.settingsFile());
    List<String> kept = lines.stream().filter(l -> !l.startsWith("encoder=") && !l.startsWith("feature-map=")).toList();
    assertEquals(lines.size() - 2, kept.size());
    Files.write(old.settingsFile(), kept);
    TrainSettings legacy = old.readSettings();
    assertEquals("conv", legacy.encoding().encoder());
    assertEquals(TrainSettings.defaults().withSeed(9), legacy);
    assertEquals(List.of(64, 64, 3), toList(legacy.policyConfig().inputShape()));

    Files.write(old.settingsFile(), kept);
    Files.writeString(old.settingsFile(), "encoder=resnet\n", java.nio.file.StandardOpenOption.APPEND);
    IOException e = assertThrows(IOException.class, old::readSettings);
    assertTrue(e.getMessage().contains(RunFolder.SETTINGS) && e.getMessage().contains("resnet"), e.getMessage());
  }

  @Test
  void dataSourceRoundTripsAndOldFoldersHaveNone(@TempDir Path dir) throws IOException {
    TrainSettings s = TrainSettings.defaults().withSeed(3);
    RunFolder duts = new RunFolder(dir.resolve("duts-run"));
    duts.writeSettings(s, dir.resolve("data/../data/DUTS-TR"));
    assertEquals(java.util.Optional.of(dir.resolve("data/DUTS-TR").toAbsolutePath().toString()), duts.readData());
    assertEquals(s, duts.readSettings(), "the data key does not disturb the settings");

    RunFolder synthetic = new RunFolder(dir.resolve("synthetic-run"));
    synthetic.writeSettings(s, null);
    assertEquals(java.util.Optional.of(RunFolder.SYNTHETIC), synthetic.readData());

    RunFolder old = new RunFolder(dir.resolve("old-run"));
    old.writeSettings(s);
    assertEquals(java.util.Optional.empty(), old.readData(), "a folder written before the data key: unknown");
    assertEquals(s, old.readSettings());
  }

  private static List<Integer> toList(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
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
