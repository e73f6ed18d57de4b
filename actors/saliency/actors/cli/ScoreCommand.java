package saliency.actors.cli;

import com.google.gson.GsonBuilder;
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
import java.util.List;
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
import saliency.model.geometry.Mask;
import saliency.model.metrics.instance.InstanceMetrics;
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
 *
 * <p>Region answers ({@code "task": "sod"} or {@code "cod"}, the default) are scored against {@code masks/} (or the
 * union of {@code instances/} when there is no {@code masks/}); instance answers ({@code "task": "sis"}) against
 * {@code instances/}: COCO instance AP and mean matched IoU ({@link InstanceMetrics}) plus the salient-object metrics
 * of the union of the instances. The text interface has no per-instance confidence, so the instances of an answer are
 * ranked by their order in it: the k-th (from 0) gets confidence {@code 1/(k+1)}, equal ranks across images ordered
 * by image name.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Score any model's text answers: one JSON object per line, {\"image\": STEM, \"task\": \"sod\", "
        + "\"answer\": \"<rg>[[x,y],...]</rg>\"} (task sod, cod or sis: <ins> polygons, ranked by their order, "
        + "scored against instances/); prints one metrics JSON line per task and the answers that gave no mask, by kind.")
final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--answers", required = true, description = "JSON Lines file of answers")
  Path answers;

  @Option(names = "--data", required = true,
      description = "DUTS-layout folder the answers are for: images/ with masks/ and/or instances/ (for task sis)")
  Path data;

  @Option(names = "--segmenter", description = "segmenter.ckpt of a prompt-answer run, to segment prompt answers "
      + "(<bbox>, <points>, <labels>); without it they count as giving no mask")
  Path segmenter;

  @Option(names = "--out", description = "folder for one 8-bit map per image (STEM.png; task sis: sis/STEM.png, "
      + "the union of the instances)")
  Path out;

  @Spec CommandSpec spec;

  /** The answers of one kind of task: their dataset, the images answered and the metrics. */
  private static final class TaskScores {
    final String name;
    final DirectoryDataset ds;
    final Map<String, DirectoryDataset.ImagePair> byStem = new LinkedHashMap<>();
    final Set<String> answered = new HashSet<>();
    final SaliencyMaps maps;
    final InstanceMetrics instances;
    boolean used;

    TaskScores(String name, DirectoryDataset ds, Path outDir, boolean instanceTask) {
      this.name = name;
      this.ds = ds;
      this.maps = new SaliencyMaps(outDir);
      this.instances = instanceTask ? new InstanceMetrics() : null;
      ds.pairs().forEach(p -> byStem.put(p.name(), p));
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(answers)) {
      throw new IOException("--answers " + answers + " is not a file");
    }
    boolean hasMasks = Files.isDirectory(data.resolve("masks"));
    boolean hasInstances = Files.isDirectory(data.resolve("instances"));
    if (!hasMasks && !hasInstances) {
      throw new IOException("--data " + data + " has neither masks/ nor instances/ (expected ROOT/images/NAME.jpg "
          + "with ROOT/masks/NAME.png or ROOT/instances/NAME.png)");
    }
    DirectoryDataset instanceData = hasInstances ? DirectoryDataset.scanInstances(data) : null;
    DirectoryDataset regionData = hasMasks ? DirectoryDataset.scan(data) : instanceData;
    if (out != null) {
      Files.createDirectories(out);
    }
    TaskScores region = new TaskScores("sod", regionData, out, false);
    TaskScores sis = instanceData == null ? null
        : new TaskScores("sis", instanceData, out == null ? null : Files.createDirectories(out.resolve("sis")), true);
    if (region.byStem.isEmpty() && (sis == null || sis.byStem.isEmpty())) {
      throw new IOException(data + ": no image/mask pair (" + regionData.report().summary() + ")");
    }
    PromptSegmenter seg = null;
    try {
      ExampleEncoder promptEncoder = null;
      if (segmenter != null) {
        seg = PromptSegmenter.create(1, 1);
        SegmenterCheckpoint.load(segmenter, seg);
        TrainSettings s = TrainSettings.defaults().withEncoding(TrainSettings.Encoding.prompts())
            .withRewardWeights(RewardWeights.segR1().normalized());
        promptEncoder = new ExampleEncoder(s).withSegmenter(seg);
      }
      AnswerScoring scoring = new AnswerScoring(promptEncoder);
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
          TaskScores scores;
          if (task.equals("sod") || task.equals("cod")) {
            scores = region;
          } else if (task.equals("sis")) {
            if (sis == null) {
              throw new IOException("--data " + data + " has no instances/ folder, needed by the task \"sis\" answer on "
                  + answers + " line " + lineNo);
            }
            scores = sis;
          } else {
            scoring.count("task not scored here (" + task + ")");
            continue;
          }
          scores.used = true;
          String stem = stem(image);
          DirectoryDataset.ImagePair pair = scores.byStem.get(stem);
          if (pair == null) {
            scoring.count("image not in --data");
            warn(lineNo, "image '" + stem + "' is not in " + data);
            continue;
          }
          if (!scores.answered.add(stem)) {
            scoring.count("second answer for an image (ignored)");
            continue;
          }
          Optional<LabelledImage> li = scores.ds.load(pair);
          if (li.isEmpty()) {
            scoring.count("image or mask unreadable");
            continue;
          }
          if (scores.instances == null) {
            scores.maps.add(stem, scoring.map(li.get(), answer), li.get().mask());
          } else {
            addInstances(scores, li.get(), scoring.instances(li.get(), answer));
          }
        }
      }
      if (!region.used && (sis == null || !sis.used)) {
        region.used = true;
      }
      PrintWriter o = spec.commandLine().getOut();
      for (TaskScores scores : sis == null ? List.of(region) : List.of(region, sis)) {
        if (scores.used) {
          fillUnanswered(scores, scoring);
          o.println(metricsJson(scores));
        }
      }
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("answers", scoring.answers());
      counts.put("noMask", scoring.failures());
      counts.put("parseFailures", scoring.parseFailures());
      o.println(new GsonBuilder().disableHtmlEscaping().create().toJson(counts));
      o.flush();
      return 0;
    } finally {
      if (seg != null) {
        seg.close();
      }
    }
  }

  /** Scores one image's predicted instances, ranked by their order, and their union as a saliency map. */
  private static void addInstances(TaskScores scores, LabelledImage li, List<Mask> predicted) {
    double[] confidences = new double[predicted.size()];
    for (int k = 0; k < confidences.length; k++) {
      confidences[k] = 1.0 / (k + 1);
    }
    scores.instances.add(li.name(), predicted, confidences, li.instances());
    Mask union = new Mask(li.mask().width(), li.mask().height());
    predicted.forEach(union::orInPlace);
    boolean[] bits = union.bits();
    double[] map = new double[bits.length];
    for (int i = 0; i < bits.length; i++) {
      map[i] = bits[i] ? 1 : 0;
    }
    scores.maps.add(li.name(), map, li.mask());
  }

  /** Every image of the task without an answer scores as an empty answer. */
  private static void fillUnanswered(TaskScores scores, AnswerScoring scoring) {
    for (DirectoryDataset.ImagePair p : scores.byStem.values()) {
      if (!scores.answered.contains(p.name())) {
        scoring.count(scores.instances == null ? "image without an answer (empty map)"
            : "image without a sis answer (no instances)");
        Optional<LabelledImage> li = scores.ds.load(p);
        if (li.isPresent() && scores.instances == null) {
          scores.maps.add(p.name(), new double[li.get().mask().width() * li.get().mask().height()], li.get().mask());
        } else if (li.isPresent()) {
          addInstances(scores, li.get(), List.of());
        }
      }
    }
  }

  /**
   * The metrics line of a task: the salient-object metrics as before for region answers; for instance answers
   * {@code "task": "sis"}, the instance figures and the salient-object metrics of the union (NaN written as null).
   */
  private static String metricsJson(TaskScores scores) {
    if (scores.instances == null) {
      return scores.maps.results().toJson();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", scores.name);
    scores.instances.results().asMap().forEach((k, v) -> m.put(k, finiteOrNull(v)));
    scores.maps.results().asMap().forEach((k, v) -> m.put(k, finiteOrNull(v)));
    return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(m);
  }

  private static Object finiteOrNull(Object v) {
    return v instanceof Double d && !Double.isFinite(d) ? null : v;
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
