package saliency.actors.cli;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import saliency.model.data.DirectoryDataset;
import saliency.model.data.LabelledImage;
import saliency.model.policy.PolicyConfig;
import saliency.model.reward.RewardWeights;
import saliency.model.score.AnswerScoring;
import saliency.model.segment.PromptSegmenter;
import saliency.model.segment.SegmenterCheckpoint;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.SaliencyMaps;
import saliency.model.train.TrainSettings;

/**
 * {@code score}: scores text answers written by any model (one JSON object per line) against a DUTS-layout folder with
 * the project's own parser, segmenters and metrics; holds only its options.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Score any model's text answers: one JSON object per line, {\"image\": STEM, \"task\": \"sod\", "
        + "\"answer\": \"<rg>[[x,y],...]</rg>\"}; prints the metrics JSON and the answers that gave no mask, by kind.")
final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--answers", required = true, description = "JSON Lines file of answers")
  Path answers;

  @Option(names = "--data", required = true, description = "DUTS-layout folder (images/, masks/) the answers are for")
  Path data;

  @Option(names = "--segmenter", description = "segmenter.ckpt of a prompt-answer run, to segment prompt answers "
      + "(<bbox>, <points>, <labels>); without it they count as giving no mask")
  Path segmenter;

  @Option(names = "--out", description = "folder for one 8-bit map per image (STEM.png)")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(answers)) {
      throw new IOException("--answers " + answers + " is not a file");
    }
    DirectoryDataset ds = DirectoryDataset.scan(data);
    Map<String, DirectoryDataset.ImagePair> byStem = new LinkedHashMap<>();
    ds.pairs().forEach(p -> byStem.put(p.name(), p));
    if (byStem.isEmpty()) {
      throw new IOException(data + ": no image/mask pair (" + ds.report().summary() + ")");
    }
    PromptSegmenter seg = null;
    try {
      ExampleEncoder promptEncoder = null;
      if (segmenter != null) {
        seg = PromptSegmenter.create(1, 1);
        SegmenterCheckpoint.load(segmenter, seg);
        TrainSettings s = TrainSettings.defaults()
            .withEncoder(PolicyConfig.MOBILENET_V2, TrainSettings.DEFAULT_FEATURE_MAP)
            .withAnswer(TrainSettings.PROMPT, RewardWeights.segR1().normalized());
        promptEncoder = new ExampleEncoder(s).withSegmenter(seg);
      }
      AnswerScoring scoring = new AnswerScoring(promptEncoder);
      if (out != null) {
        Files.createDirectories(out);
      }
      SaliencyMaps maps = new SaliencyMaps(out);
      Set<String> answered = new HashSet<>();
      long lineNo = 0;
      try (BufferedReader r = Files.newBufferedReader(answers)) {
        String line;
        while ((line = r.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          JsonObject node;
          try {
            JsonElement e = JsonParser.parseString(line);
            if (!e.isJsonObject()) {
              throw new JsonParseException("not an object");
            }
            node = e.getAsJsonObject();
          } catch (JsonParseException e) {
            scoring.count("line not a JSON object");
            warn(lineNo, "not a JSON object");
            continue;
          }
          String image = text(node, "image");
          String answer = text(node, "answer");
          if (image == null || answer == null) {
            scoring.count("line without \"image\" or \"answer\" text");
            warn(lineNo, "needs \"image\" and \"answer\" strings");
            continue;
          }
          String task = text(node, "task") != null ? text(node, "task").toLowerCase(Locale.ROOT) : "sod";
          if (!task.equals("sod") && !task.equals("cod")) {
            scoring.count("task not scored here (" + task + ")");
            continue;
          }
          String stem = stem(image);
          DirectoryDataset.ImagePair pair = byStem.get(stem);
          if (pair == null) {
            scoring.count("image not in --data");
            warn(lineNo, "image '" + stem + "' is not in " + data);
            continue;
          }
          if (!answered.add(stem)) {
            scoring.count("second answer for an image (ignored)");
            continue;
          }
          Optional<LabelledImage> li = ds.load(pair);
          if (li.isEmpty()) {
            scoring.count("image or mask unreadable");
            continue;
          }
          maps.add(stem, scoring.map(li.get(), answer), li.get().mask());
        }
      }
      for (DirectoryDataset.ImagePair p : byStem.values()) {
        if (!answered.contains(p.name())) {
          scoring.count("image without an answer (empty map)");
          ds.load(p).ifPresent(li -> maps.add(p.name(), new double[li.mask().width() * li.mask().height()],
              li.mask()));
        }
      }
      PrintWriter o = spec.commandLine().getOut();
      o.println(maps.results().toJson());
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("answers", scoring.answers());
      counts.put("noMask", scoring.failures());
      counts.put("parseFailures", scoring.parseFailures());
      o.println(new Gson().toJson(counts));
      o.flush();
      return 0;
    } finally {
      if (seg != null) {
        seg.close();
      }
    }
  }

  private void warn(long line, String what) {
    spec.commandLine().getErr().println("score: " + answers + " line " + line + ": " + what);
  }

  /** The string value of {@code key}, or null when it is absent or not a string. */
  private static String text(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
  }

  /** The file stem of an image reference ({@code a/b/NAME.jpg} gives {@code NAME}). */
  static String stem(String ref) {
    String name = Path.of(ref).getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
