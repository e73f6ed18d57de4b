package saliency.actors.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import saliency.actors.TestConfigs;
import saliency.actors.cli.Main;
import saliency.model.data.Augmentation;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;
import saliency.model.policy.PolicyConfig;
import saliency.model.reward.RewardWeights;
import saliency.model.train.RunFolder;
import saliency.model.train.TrainSettings;

/**
 * A prompt-answer run end to end on a small DUTS-layout folder: segmenter, SFT with a validation split, RL through the
 * pipeline with the segmenter in the segment stage, and {@code eval} reading the answer form and the segmenter from
 * the run folder.
 */
class PromptRunTest {
  static final TrainSettings SETTINGS = TrainRunTest.SETTINGS
      .withEncoding(TrainSettings.Encoding.prompts())
      .withRewardWeights(RewardWeights.segR1().normalized())
      .withEval(new TrainSettings.Eval(0, 2));

  @TempDir Path dir;

  /** {@code n} noisy 48x48 images, each with a bright square at a random place, and its mask. */
  private Path folder(int n) throws Exception {
    Path root = dir.resolve("data");
    Files.createDirectories(root.resolve("images"));
    Files.createDirectories(root.resolve("masks"));
    Random rnd = new Random(4);
    int s = 48;
    for (int i = 0; i < n; i++) {
      float[] px = new float[s * s * 3];
      BufferedImage m = new BufferedImage(s, s, BufferedImage.TYPE_BYTE_GRAY);
      int x0 = rnd.nextInt(24);
      int y0 = rnd.nextInt(24);
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          boolean on = x >= x0 && x < x0 + 20 && y >= y0 && y < y0 + 20;
          for (int c = 0; c < 3; c++) {
            px[(y * s + x) * 3 + c] = on ? 0.9f : 0.3f * rnd.nextFloat();
          }
          m.getRaster().setSample(x, y, 0, on ? 255 : 0);
        }
      }
      ImageIo.writeRgb(root.resolve("images/im" + i + ".png"), new RgbImage(s, s, px));
      ImageIO.write(m, "png", root.resolve("masks/im" + i + ".png").toFile());
    }
    ImageIo.writeRgb(root.resolve("images/orphan.png"), new RgbImage(s, s, new float[s * s * 3])); // no mask
    return root;
  }

  @Test
  void promptRunWritesItsSegmenterAndEvalReadsIt() throws Exception {
    Path data = folder(24);
    Path runDir = dir.resolve("run");
    Config base = TestConfigs.cluster(runDir,
        "saliency.learner { slices = 2, checkpoint-every = 2 }\n"
            + "saliency.pipeline { sample-batch = 8, gradient-batch = 8 }\n");
    List<String> log = new ArrayList<>();
    Augmentation.Settings augment = new Augmentation.Settings(1, 0.5, 0.5, 0.4, 0.25, 256);
    TrainRun.Outcome o = TrainRun.run(new TrainRun.Request(data, SETTINGS, runDir, false, 0, 16, 0, base, true, 45,
        false, augment), System::nanoTime, (p, st, e, b, m) -> { }, p -> { }, log::add);
    assertNotNull(o.afterSft());
    assertTrue(o.rl().stats().trainedSamples() >= 16, o.rl().stats().toString());
    assertEquals(0, o.rl().stats().failures(), o.rl().stats().lastFailure());
    assertTrue(Double.isFinite(o.afterRl().sMeasure()), o.afterRl().toString());
    assertTrue(log.stream().anyMatch(l -> l.startsWith("segmenter: ") && l.contains("best validation S-measure")),
        "the segmenter keeps its best validation weights: " + String.join("\n", log));
    assertTrue(log.stream().anyMatch(l -> l.contains("validation (from the training split)")), String.join("\n", log));
    RunFolder f = new RunFolder(runDir);
    assertTrue(Files.isRegularFile(f.segmenterFile()));
    assertEquals(TrainSettings.PROMPT, f.readSettings().encoding().answer());
    assertEquals(augment, f.readAugment(), "the run folder records its augmentation");
    String views = log.stream().filter(l -> l.startsWith("views: ")).findFirst().orElseThrow();
    assertTrue(views.matches("views: \\d+ augmented views \\(1 per image.*"), views);
    String skipped = Files.readString(runDir.resolve(TrainRun.SKIPPED_CSV));
    assertTrue(skipped.contains("orphan"), "skipped files are named in the run folder: " + skipped);

    Path maps = dir.resolve("maps");
    int code = new CommandLine(new Main()).execute("eval", "--run", runDir.toString(), "--data", data.toString(),
        "--samples", "2", "--out", maps.toString());
    assertEquals(0, code);
    try (var files = Files.list(maps)) {
      assertEquals(24, files.count(), "one map per image");
    }
  }
}
