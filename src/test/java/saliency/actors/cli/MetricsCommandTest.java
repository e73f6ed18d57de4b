package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The metrics subcommand on small folders: output, per-image CSV, pairing errors, demo. */
class MetricsCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void writeGrey(Path file, int w, int h, int fgLevel) throws IOException {
    BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        im.getRaster().setSample(x, y, 0, x < w / 2 ? fgLevel : 0);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(im, "png", file.toFile());
  }

  @Test
  void identicalBinaryFoldersScorePerfectly() throws IOException {
    writeGrey(dir.resolve("gt/a.png"), 12, 8, 255);
    writeGrey(dir.resolve("gt/b.png"), 10, 10, 255);
    writeGrey(dir.resolve("pred/a.png"), 12, 8, 255);
    writeGrey(dir.resolve("pred/b.png"), 10, 10, 255);
    Path csv = dir.resolve("out/per-image.csv");
    Run r = run("metrics", "--pred", dir.resolve("pred").toString(), "--gt",
        dir.resolve("gt").toString(), "--per-image", csv.toString());
    assertEquals(0, r.code(), r.err());
    String json = r.out().trim();
    assertTrue(json.contains("\"MAE\": 0.0"), json);
    assertTrue(json.contains("\"IoU\": 1.0"), json);
    assertEquals(1, json.lines().count());
    List<String> rows = Files.readAllLines(csv);
    assertEquals("name,Smeasure,MAE,IoU", rows.get(0));
    assertEquals(3, rows.size());
    assertTrue(rows.get(1).startsWith("a,"), rows.get(1));
  }

  @Test
  void missingPairIsAnErrorNamingTheFile() throws IOException {
    writeGrey(dir.resolve("gt/a.png"), 12, 8, 255);
    writeGrey(dir.resolve("gt/lonely.png"), 12, 8, 255);
    writeGrey(dir.resolve("pred/a.png"), 12, 8, 255);
    Run r = run("metrics", "--pred", dir.resolve("pred").toString(), "--gt",
        dir.resolve("gt").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("lonely.png"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void sizeMismatchIsAnErrorNamingTheFile() throws IOException {
    writeGrey(dir.resolve("gt/a.png"), 12, 8, 255);
    writeGrey(dir.resolve("pred/a.png"), 8, 12, 255);
    Run r = run("metrics", "--pred", dir.resolve("pred").toString(), "--gt",
        dir.resolve("gt").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("size mismatch") && r.err().contains("a.png"), r.err());
  }

  @Test
  void demoIsDeterministic() {
    Run a = run("metrics", "--demo", "--demo-images", "3");
    Run b = run("metrics", "--demo", "--demo-images", "3");
    assertEquals(0, a.code(), a.err());
    assertEquals(a.out(), b.out());
    assertTrue(a.out().contains("\"Smeasure\": "), a.out());
    Run c = run("metrics", "--demo", "--demo-images", "3", "--seed", "7");
    assertTrue(!a.out().equals(c.out()), "another seed gives other maps");
  }
}
