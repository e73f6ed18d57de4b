package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.learner.SliceCheckpoint;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.policy.PolicyNetwork;
import saliency.model.train.RunFolder;
import saliency.model.train.TinySettings;
import saliency.model.train.TrainSettings;

/** {@code eval}: a folder where nothing loads is an error without an --out folder; a stopped run uses its slices. */
class EvalCommandTest {
  static final TrainSettings SETTINGS = TinySettings.of("head", 5L);

  @TempDir Path dir;

  /** {@code n} 24x24 images with a bright square and their masks; {@code maskSize} other than 24 mismatches. */
  private Path data(int n, int maskSize) throws IOException {
    Path root = dir.resolve("data");
    Files.createDirectories(root.resolve("images"));
    Files.createDirectories(root.resolve("masks"));
    Random rnd = new Random(3);
    int s = 24;
    for (int i = 0; i < n; i++) {
      float[] px = new float[s * s * 3];
      BufferedImage m = new BufferedImage(maskSize, maskSize, BufferedImage.TYPE_BYTE_GRAY);
      int x0 = rnd.nextInt(12);
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          boolean on = x >= x0 && x < x0 + 10 && y >= 6 && y < 16;
          Arrays.fill(px, (y * s + x) * 3, (y * s + x) * 3 + 3, on ? 0.9f : 0.3f * rnd.nextFloat());
          if (x < maskSize && y < maskSize) {
            m.getRaster().setSample(x, y, 0, on ? 255 : 0);
          }
        }
      }
      ImageIo.writeRgb(root.resolve("images/im" + i + ".png"), new RgbImage(s, s, px));
      ImageIO.write(m, "png", root.resolve("masks/im" + i + ".png").toFile());
    }
    return root;
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    }
  }

  @Test
  void nothingEvaluatedIsAnErrorAndCreatesNoOutFolder() throws IOException {
    Path data = data(3, 20); // every mask of another size: all pairs skipped
    Path maps = dir.resolve("maps");
    CliRun r = CliRun.of("eval", "--baseline", "centre-prior", "--data", data.toString(), "--out", maps.toString());
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("eval: no image could be evaluated in " + data), r.err());
    assertEquals("", r.out());
    assertFalse(Files.exists(maps), "no --out folder for a failed eval");
  }

  @Test
  void aStoppedRunIsEvaluatedFromItsLearnerSlices() throws IOException {
    Path data = data(3, 24);
    Path runDir = dir.resolve("run");
    new RunFolder(runDir).writeSettings(SETTINGS);
    float[] w;
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      w = net.getFlatWeights();
    }
    Random rnd = new Random(9);
    for (int i = 0; i < w.length; i++) {
      w[i] += 0.05f * (float) rnd.nextGaussian();
    }
    int n = w.length;
    int half = n / 2;
    new SliceCheckpoint(0, 0, n, 3, 0, Arrays.copyOfRange(w, 0, half), new float[half], new float[half])
        .write(SliceCheckpoint.file(runDir, 0));

    Path fromSlices = dir.resolve("maps-slices");
    CliRun partial = CliRun.of("eval", "--run", runDir.toString(), "--data", data.toString(), "--samples", "1", "--out",
        fromSlices.toString());
    assertEquals(1, partial.code(), partial.err());
    assertTrue(partial.err().contains(runDir.toString()) && partial.err().contains("slice"), partial.err());
    assertFalse(Files.exists(fromSlices));

    new SliceCheckpoint(1, half, n, 3, 0, Arrays.copyOfRange(w, half, n), new float[n - half], new float[n - half])
        .write(SliceCheckpoint.file(runDir, 1));
    CliRun r = CliRun.of("eval", "--run", runDir.toString(), "--data", data.toString(), "--samples", "1", "--out",
        fromSlices.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"IoU\""), r.out());
    assertEquals(3, files(fromSlices).size());

    // the same weights as a policy.ckpt give the same maps
    new PolicyCheckpoint(SETTINGS.policyConfig().toString(), w, null, null, null, 0, 3)
        .save(new RunFolder(runDir).policyFile());
    Path fromPolicy = dir.resolve("maps-policy");
    CliRun p = CliRun.of("eval", "--run", runDir.toString(), "--data", data.toString(), "--samples", "1", "--out",
        fromPolicy.toString());
    assertEquals(0, p.code(), p.err());
    assertEquals(r.out(), p.out());
    for (Path f : files(fromSlices)) {
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(fromPolicy.resolve(f.getFileName())), f.toString());
    }
  }
}
