package saliency.actors.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import saliency.model.metrics.GrayImage;
import saliency.model.metrics.GrayImages;
import saliency.model.metrics.ImageScores;
import saliency.model.metrics.PairEvaluation;
import saliency.model.metrics.SodMetrics;
import saliency.model.metrics.SyntheticMaps;

/**
 * The {@code metrics} subcommand: PySODMetrics-compatible figures of a folder of predicted
 * saliency maps against a folder of ground-truth masks (paired by file stem), or of a synthetic
 * demo set; prints one JSON object. Holds only its parsed options.
 */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates saliency maps against ground-truth masks (S-measure, weighted F, MAE,",
      "adaptive/mean/max E- and F-measure, IoU) as PySODMetrics does; prints one JSON object."
    })
public final class MetricsCommand implements Callable<Integer> {
  static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @ArgGroup(exclusive = false)
    Folders folders;

    @Option(names = "--demo", description = "Evaluate a built-in synthetic set instead of files.")
    boolean demo;
  }

  static final class Folders {
    @Option(names = "--pred", required = true, description = "Folder of predicted maps (8-bit).")
    Path pred;

    @Option(names = "--gt", required = true, description = "Folder of ground-truth masks.")
    Path gt;
  }

  @Option(names = "--per-image", description = "Also write name,Smeasure,MAE,IoU rows to this CSV.")
  Path perImage;

  @Option(names = "--threads", description = "Worker threads (default: available processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the --demo set (${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--demo-images", defaultValue = "8", description = "Pairs in the --demo set (${DEFAULT-VALUE}).")
  int demoImages;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    try {
      SodMetrics metrics = new SodMetrics();
      List<String> rows = new ArrayList<>();
      if (source.demo) {
        if (demoImages <= 0) {
          err.println("--demo-images must be positive: " + demoImages);
          return 2;
        }
        Random rnd = new Random(seed);
        for (int i = 0; i < demoImages; i++) {
          SyntheticMaps.Pair p = SyntheticMaps.ellipsePair(rnd, 320, 240);
          rows.add(row(String.format(Locale.ROOT, "demo_%03d", i), metrics.add(p.pred(), p.gt())));
        }
      } else {
        Map<String, Path> preds = byStem(source.folders.pred, "prediction");
        Map<String, Path> gts = byStem(source.folders.gt, "ground truth");
        for (String stem : gts.keySet()) {
          if (!preds.containsKey(stem)) {
            throw new BadInput("no prediction for ground truth " + gts.get(stem));
          }
        }
        for (String stem : preds.keySet()) {
          if (!gts.containsKey(stem)) {
            throw new BadInput("no ground truth for prediction " + preds.get(stem));
          }
        }
        if (gts.isEmpty()) {
          throw new BadInput("no images in " + source.folders.gt);
        }
        if (threads <= 0) {
          throw new BadInput("--threads must be positive: " + threads);
        }
        List<String> stems = new ArrayList<>(gts.keySet());
        Object[] done = new Object[stems.size()];
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
          pool.submit(() -> IntStream.range(0, stems.size()).parallel().forEach(i -> {
            String stem = stems.get(i);
            done[i] = evaluateFiles(preds.get(stem), gts.get(stem));
          })).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BadInput("interrupted");
        } catch (ExecutionException e) {
          throw new BadInput("evaluation failed: " + e.getCause());
        } finally {
          pool.shutdown();
        }
        // added in sorted order whatever the thread timing, so the figures are reproducible
        for (int i = 0; i < done.length; i++) {
          if (done[i] instanceof String message) {
            throw new BadInput(message);
          }
          rows.add(row(stems.get(i), metrics.add((PairEvaluation) done[i])));
        }
      }
      if (perImage != null) {
        writeCsv(perImage, rows);
      }
      out.println(metrics.results().toJson());
      out.flush();
      return 0;
    } catch (BadInput | IOException | IllegalArgumentException e) {
      err.println("metrics: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  /** The evaluation of one pair of files, or a message naming the offending file. */
  private static Object evaluateFiles(Path predFile, Path gtFile) {
    try {
      GrayImage gt = GrayImages.read(gtFile);
      GrayImage pred = GrayImages.read(predFile);
      if (gt.width() != pred.width() || gt.height() != pred.height()) {
        return "size mismatch: " + predFile + " is " + pred.width() + "x" + pred.height()
            + " but " + gtFile + " is " + gt.width() + "x" + gt.height();
      }
      return SodMetrics.evaluate(pred, gt);
    } catch (IOException | RuntimeException e) {
      return predFile + " / " + gtFile + ": " + e.getMessage();
    }
  }

  private static String row(String name, ImageScores s) {
    return name + "," + s.sMeasure() + "," + s.mae() + "," + s.iou();
  }

  private static void writeCsv(Path file, List<String> rows) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("name,Smeasure,MAE,IoU\n");
      for (String r : rows) {
        w.write(r);
        w.write('\n');
      }
    }
  }

  /** Image files of a folder keyed by stem, sorted; two files with one stem is an error. */
  static Map<String, Path> byStem(Path dir, String what) throws IOException, BadInput {
    if (!Files.isDirectory(dir)) {
      throw new BadInput(what + " folder not found: " + dir);
    }
    Map<String, Path> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || !Files.isRegularFile(f)) {
          continue;
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!IMAGE_EXTENSIONS.contains(ext)) {
          continue;
        }
        Path previous = out.put(name.substring(0, dot), f);
        if (previous != null) {
          throw new BadInput("two " + what + " files share a stem: " + previous + " and " + f);
        }
      }
    }
    return out;
  }

  /** Input the command refuses, with a message naming the file. */
  static final class BadInput extends Exception {
    BadInput(String message) {
      super(message);
    }
  }
}
