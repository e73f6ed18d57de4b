package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;

/** {@code score}: answers of any model, scored with the project's parser, rasterizer and metrics. */
class ScoreCommandTest {
  @TempDir Path dir;

  @Test
  void scoresAnswersAndCountsEveryAnswerThatGivesNoMask() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("images"));
    Files.createDirectories(data.resolve("masks"));
    for (String name : List.of("a", "b", "c", "d")) {
      ImageIo.writeRgb(data.resolve("images/" + name + ".png"), new RgbImage(40, 40, new float[40 * 40 * 3]));
      BufferedImage m = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 10; y < 30; y++) {
        for (int x = 10; x < 30; x++) {
          m.getRaster().setSample(x, y, 0, 255);
        }
      }
      ImageIO.write(m, "png", data.resolve("masks/" + name + ".png").toFile());
    }
    Path answers = dir.resolve("answers.jsonl");
    Files.write(answers, List.of(
        "{\"image\": \"a.jpg\", \"task\": \"sod\", \"answer\": \"The object: <rg>[[0.25,0.25],[0.75,0.25],[0.75,0.75],"
            + "[0.25,0.75]]</rg>\"}",
        "{\"image\": \"b\", \"answer\": \"<rg>[[0.25,0.25],[0.75,0.25]</rg>\"}",
        "{\"image\": \"zzz\", \"answer\": \"<rg>[[0.1,0.1],[0.2,0.1],[0.2,0.2]]</rg>\"}",
        "not json at all",
        "{\"image\": \"c\", \"answer\": \"<bbox>[0.2,0.2,0.8,0.8]</bbox><points>[[0.5,0.5]]</points>"
            + "<labels>[1]</labels>\"}"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("score", "--answers", answers.toString(), "--data", data.toString(),
        "--out", dir.resolve("maps").toString());
    assertEquals(0, code, err.toString());
    String[] lines = out.toString().trim().split("\n");
    JsonObject metrics = JsonParser.parseString(lines[0]).getAsJsonObject();
    JsonObject counts = JsonParser.parseString(lines[1]).getAsJsonObject();
    // a: the exact square (IoU 1); b, c, d: empty maps -> mean IoU 0.25
    assertEquals(0.25, metrics.get("IoU").getAsDouble(), 0.01, out.toString());
    assertEquals(3, counts.get("answers").getAsLong());
    JsonObject noMask = counts.getAsJsonObject("noMask");
    assertEquals(1, noMask.get("not parsed").getAsLong());
    assertEquals(1, noMask.get("prompt answer without a segmenter").getAsLong());
    assertEquals(1, noMask.get("image not in --data").getAsLong());
    assertEquals(1, noMask.get("line not a JSON object").getAsLong());
    assertEquals(1, noMask.get("image without an answer (empty map)").getAsLong());
    assertTrue(err.toString().contains("line 4: not a JSON object"), err.toString());
    try (var files = Files.list(dir.resolve("maps"))) {
      assertEquals(4, files.count(), "one map per image");
    }
  }

  /** Index-coded instance file: rectangles {x0, x1, y0, y1} (pixels) as labels 1..K on a 40 x 40 map. */
  private static void instanceFile(Path file, int[]... boxes) throws Exception {
    BufferedImage m = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
    for (int k = 0; k < boxes.length; k++) {
      for (int y = boxes[k][2]; y < boxes[k][3]; y++) {
        for (int x = boxes[k][0]; x < boxes[k][1]; x++) {
          m.getRaster().setSample(x, y, 0, k + 1);
        }
      }
    }
    ImageIO.write(m, "png", file.toFile());
  }

  /** An {@code <ins>} rectangle, clockwise in image coordinates. */
  private static String ins(double x0, double y0, double x1, double y1) {
    return String.format(java.util.Locale.ROOT, "<ins>[[%s,%s],[%s,%s],[%s,%s],[%s,%s]]</ins>", x0, y0, x1, y0, x1,
        y1, x0, y1);
  }

  @Test
  void scoresInstanceAnswersWithApAndMeanMatchedIou() throws Exception {
    Path data = dir.resolve("sis");
    Files.createDirectories(data.resolve("images"));
    Files.createDirectories(data.resolve("instances"));
    for (String name : List.of("a", "b", "c", "d", "e")) {
      ImageIo.writeRgb(data.resolve("images/" + name + ".png"), new RgbImage(40, 40, new float[40 * 40 * 3]));
    }
    instanceFile(data.resolve("instances/a.png"), new int[] {4, 16, 4, 16}, new int[] {24, 36, 20, 36});
    BufferedImage colour = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB); // colour-coded: one instance
    for (int y = 10; y < 30; y++) {
      for (int x = 10; x < 30; x++) {
        colour.setRGB(x, y, 0xff8000);
      }
    }
    ImageIO.write(colour, "png", data.resolve("instances/b.png").toFile());
    instanceFile(data.resolve("instances/c.png"), new int[] {0, 20, 0, 20});
    instanceFile(data.resolve("instances/d.png"), new int[] {20, 40, 20, 40});
    instanceFile(data.resolve("instances/e.png"), new int[] {5, 15, 25, 35});
    Path answers = dir.resolve("sis.jsonl");
    Files.write(answers, List.of(
        // both instances of a, exact, the larger first
        "{\"image\": \"a.png\", \"task\": \"sis\", \"answer\": \"Two objects: " + ins(0.6, 0.5, 0.9, 0.9)
            + ins(0.1, 0.1, 0.4, 0.4) + "\"}",
        // b's instance exactly, then a stray 4x4 instance ranked second
        "{\"image\": \"b\", \"task\": \"sis\", \"answer\": \"" + ins(0.25, 0.25, 0.75, 0.75)
            + ins(0.0, 0.8, 0.1, 0.9) + "\"}",
        // truncated
        "{\"image\": \"c\", \"task\": \"sis\", \"answer\": \"<ins>[[0.0,0.0],[0.5,0.0]\"}",
        // a region answer where instances are asked for
        "{\"image\": \"d\", \"task\": \"sis\", \"answer\": \"<rg>[[0.5,0.5],[1.0,0.5],[1.0,1.0],[0.5,1.0]]</rg>\"}",
        "{\"image\": \"zzz\", \"task\": \"sis\", \"answer\": \"" + ins(0.1, 0.1, 0.2, 0.2) + "\"}",
        // a SOD answer for a, scored against the union of its instances (no masks/ folder)
        "{\"image\": \"a\", \"task\": \"sod\", \"answer\": \"<rg>[[0.1,0.1],[0.4,0.1],[0.4,0.4],[0.1,0.4]]</rg>"
            + "<rg>[[0.6,0.5],[0.9,0.5],[0.9,0.9],[0.6,0.9]]</rg>\"}"));
    CliRun run = CliRun.of("score", "--answers", answers.toString(), "--data", data.toString(),
        "--out", dir.resolve("maps").toString());
    assertEquals(0, run.code(), run.err());
    String[] lines = run.out().trim().split("\n");
    assertEquals(3, lines.length, run.out());
    JsonObject sod = JsonParser.parseString(lines[0]).getAsJsonObject();
    JsonObject sis = JsonParser.parseString(lines[1]).getAsJsonObject();
    JsonObject counts = JsonParser.parseString(lines[2]).getAsJsonObject();
    assertEquals(0.2, sod.get("IoU").getAsDouble(), 1e-9, "a exact, four images unanswered");
    assertEquals("sis", sis.get("task").getAsString());
    // 6 instances; ranked a1 b1 (confidence 1), a2 (TP), b2 (FP) at 0.5: precision 1 up to recall 0.5 at every IoU
    assertEquals(51.0 / 101, sis.get("AP50").getAsDouble(), 1e-9, lines[1]);
    assertEquals(51.0 / 101, sis.get("AP50:95").getAsDouble(), 1e-9, lines[1]);
    // per image: a 1, b 1/2 (the stray counts 0), c, d, e 0
    assertEquals(1.5 / 5, sis.get("meanMatchedIoU").getAsDouble(), 1e-9, lines[1]);
    assertEquals(6, sis.get("instances").getAsInt());
    assertEquals(4, sis.get("predictedInstances").getAsInt());
    // the union of the predicted instances as a saliency map: a 1, b 400/416, the others 0
    assertEquals((1 + 400.0 / 416) / 5, sis.get("IoU").getAsDouble(), 1e-9, lines[1]);
    assertEquals(5, counts.get("answers").getAsLong(), "four sis answers read and one sod");
    JsonObject noMask = counts.getAsJsonObject("noMask");
    assertEquals(1, noMask.get("not parsed").getAsLong());
    assertEquals(1, noMask.get("region or prompt answer for task sis (no instances)").getAsLong());
    assertEquals(1, noMask.get("image not in --data").getAsLong());
    assertEquals(1, noMask.get("image without a sis answer (no instances)").getAsLong());
    assertEquals(4, noMask.get("image without an answer (empty map)").getAsLong());
    try (var files = Files.list(dir.resolve("maps/sis"))) {
      assertEquals(5, files.count(), "one union map per image");
    }
  }

  @Test
  void sisAnswersWithoutAnInstancesFolderAreRefusedInOneLine() throws Exception {
    Path data = dir.resolve("plain");
    Files.createDirectories(data.resolve("images"));
    Files.createDirectories(data.resolve("masks"));
    ImageIo.writeRgb(data.resolve("images/a.png"), new RgbImage(8, 8, new float[8 * 8 * 3]));
    ImageIo.writeMask(data.resolve("masks/a.png"), new saliency.model.geometry.Mask(8, 8));
    Path answers = dir.resolve("one.jsonl");
    Files.write(answers, List.of("{\"image\": \"a\", \"task\": \"sis\", \"answer\": \"<ins></ins>\"}"));
    CliRun r = CliRun.of("score", "--answers", answers.toString(), "--data", data.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("has no instances/ folder, needed by the task \"sis\" answer on " + answers + " line 1"),
        r.err());
  }
}
