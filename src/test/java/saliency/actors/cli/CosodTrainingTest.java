package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.train.TrainRun;
import saliency.model.data.LabelledImage;
import saliency.model.image.ImageIo;
import saliency.model.report.RunReporter;
import saliency.model.train.RunFolder;
import saliency.model.train.TaskFile;
import saliency.model.train.TaskMix;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;

/**
 * {@code train --tasks sod:0.5,cosod:0.5}: the run turns the policy's group context on, trains both tasks through the
 * pipeline with a cosod reward and group figures in metrics.csv; {@code eval --task cosod} prints the S-measure and
 * max-F of each group and their mean, on the synthetic held-out groups and on a CoCA-layout folder.
 */
class CosodTrainingTest {
  @TempDir Path dir;

  @Test
  void aSodCosodRunTrainsWithAGroupContextAndEvalMeasuresGroups() throws Exception {
    Path runDir = dir.resolve("run");
    TaskMix mix = TaskMix.parse("sod:0.5,cosod:0.5");
    List<String> log = new ArrayList<>();
    TrainRun.Outcome o = MixedTaskTrainingTest.train(runDir, mix, 48, log);
    assertTrue(o.rl().stats().trainedSamples() >= 48, o.rl().stats().toString());
    assertEquals(0, o.rl().stats().failures(), o.rl().stats().lastFailure());
    assertEquals(mix, TaskFile.read(runDir));
    TrainSettings recorded = new RunFolder(runDir).readSettings();
    assertEquals(TrainSettings.COSOD_GROUP, recorded.encoding().groupContext());
    assertTrue(log.stream().anyMatch(l -> l.contains("group context of " + TrainSettings.COSOD_GROUP + " images")),
        String.join("\n", log));
    assertTrue(log.stream().anyMatch(l -> l.contains("cosod: ") && l.contains("mean group S-measure")),
        String.join("\n", log));

    List<String> rows = Files.readAllLines(runDir.resolve(RunReporter.METRICS_CSV));
    assertTrue(rows.stream().anyMatch(l -> l.contains(",train,") && l.contains("reward_cosod=")
        && l.contains("reward_sod=")), "a training row with the mean reward of each task:\n" + String.join("\n", rows));
    assertEquals(2, rows.stream().filter(l -> l.contains(",heldout-cosod,") && l.contains("groupSmeasure=")
        && l.contains("groupMaxF=")).count(), "group figures after SFT and after RL");

    CliRun synthetic = CliRun.of("eval", "--run", runDir.toString(), "--data", "synthetic:8", "--task", "cosod",
        "--samples", "1");
    assertEquals(0, synthetic.code(), synthetic.err());
    JsonObject json = JsonParser.parseString(synthetic.out().strip()).getAsJsonObject();
    assertEquals("cosod", json.get("task").getAsString());
    assertEquals(2, json.get("groups").getAsInt(), synthetic.out());
    assertEquals(2, json.getAsJsonObject("perGroup").size(), synthetic.out());
    assertInUnit(json, "groupSmeasure");
    assertInUnit(json, "groupMaxF");
    assertInUnit(json, "Smeasure");
    double meanS = json.getAsJsonObject("perGroup").entrySet().stream()
        .mapToDouble(e -> e.getValue().getAsJsonObject().get("Smeasure").getAsDouble()).average().orElseThrow();
    assertEquals(meanS, json.get("groupSmeasure").getAsDouble(), 1e-12);

    Path coca = dir.resolve("coca");
    for (int g = 0; g < 2; g++) {
      for (LabelledImage li : TrainingData.syntheticGroups(40 + g, 40).get(0)) {
        String stem = li.name().substring(li.name().lastIndexOf('-') + 1);
        ImageIo.writeRgb(coca.resolve("images/group" + g + "/" + stem + ".png"), li.image());
        ImageIo.writeMask(coca.resolve("masks/group" + g + "/" + stem + ".png"), li.mask());
      }
    }
    Files.delete(coca.resolve("masks/group1/3.png"));
    Path maps = dir.resolve("maps");
    CliRun folder = CliRun.of("eval", "--run", runDir.toString(), "--data", coca.toString(), "--task", "cosod",
        "--samples", "1", "--out", maps.toString());
    assertEquals(0, folder.code(), folder.err());
    JsonObject f = JsonParser.parseString(folder.out().strip()).getAsJsonObject();
    assertEquals(2, f.get("groups").getAsInt(), folder.out());
    assertEquals(3, f.getAsJsonObject("perGroup").getAsJsonObject("group1").get("images").getAsInt(), folder.out());
    assertInUnit(f, "groupMaxF");
    assertTrue(Files.isRegularFile(maps.resolve("group0/0.png")) && !Files.exists(maps.resolve("group1/3.png")));
    assertTrue(folder.err().contains("IMAGE_WITHOUT_MASK") || folder.err().contains("without"), folder.err());
  }

  private static void assertInUnit(JsonObject json, String key) {
    double v = json.get(key).getAsDouble();
    assertTrue(v >= 0 && v <= 1, key + " = " + v);
  }
}
