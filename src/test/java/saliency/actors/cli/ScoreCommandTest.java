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
}
