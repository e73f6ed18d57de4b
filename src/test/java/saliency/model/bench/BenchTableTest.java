package saliency.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench table on made-up figures: the text table, the JSON file and its round trip. */
class BenchTableTest {
  @TempDir Path dir;

  private static BenchTable fake() {
    return new BenchTable()
        .fact("command", "java -jar target/saliency.jar bench --quick")
        .fact("load average at start", "0.12")
        .add("policy.sampling", "policy sampling", 912.345, "samples/s", "57 calls of 16")
        .add("mfu.gradients", "FLOP utilization of policy gradients", 0.000412, "of peak", "made up")
        .add("race.cgpo.time-to-target", "cgpo: seconds to reach GRPO's final reward", Double.NaN, "s",
            "not reached")
        .series("race.cgpo", List.of("seconds", "samples", "reward"),
            List.of(new double[] {0, 0, 0.7}, new double[] {4.2, 512, 0.71}));
  }

  @Test
  void textHasTheFactsAndOneTableLinePerFigure() {
    String text = fake().text();
    assertTrue(text.startsWith("command: java -jar target/saliency.jar bench --quick\n"), text);
    assertTrue(text.contains("| policy sampling | 912 | samples/s | 57 calls of 16 |"), text);
    assertTrue(text.contains("| FLOP utilization of policy gradients | 0.000412 | of peak | made up |"), text);
    assertTrue(text.contains("| cgpo: seconds to reach GRPO's final reward | n/a | s | not reached |"), text);
    assertTrue(text.contains("race.cgpo (seconds, samples, reward): 0/0/0.700 4.20/512/0.710"), text);
  }

  @Test
  void jsonRoundTripsAndWritesNaNAsNull() throws Exception {
    Path file = dir.resolve("sub/bench.json");
    fake().writeJson(file);
    JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    assertEquals("0.12", o.getAsJsonObject("facts").get("load average at start").getAsString());
    assertEquals(3, o.getAsJsonArray("rows").size());
    JsonObject first = o.getAsJsonArray("rows").get(0).getAsJsonObject();
    assertEquals("policy.sampling", first.get("key").getAsString());
    assertEquals(912.345, first.get("value").getAsDouble(), 0);
    assertTrue(o.getAsJsonArray("rows").get(2).getAsJsonObject().get("value").isJsonNull());
    assertEquals(512, o.getAsJsonObject("series").getAsJsonObject("race.cgpo").getAsJsonArray("points").get(1)
        .getAsJsonArray().get(1).getAsDouble(), 0);
  }

  @Test
  void refusesADuplicateKey() {
    BenchTable t = fake();
    assertThrows(IllegalArgumentException.class, () -> t.add("policy.sampling", "again", 1, "", ""));
  }

  @Test
  void formatsMagnitudesReadably() {
    assertEquals("n/a", BenchTable.format(Double.NaN));
    assertEquals("1234", BenchTable.format(1234.4));
    assertEquals("12.3", BenchTable.format(12.34));
    assertEquals("1.23", BenchTable.format(1.234));
    assertEquals("0.123", BenchTable.format(0.1234));
    assertEquals("2.50e+08", BenchTable.format(2.5e8));
  }
}
