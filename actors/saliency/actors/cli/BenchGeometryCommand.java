package saliency.actors.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import saliency.model.geometry.Mask;
import saliency.model.geometry.MaskPolygons;
import saliency.model.geometry.Polygon;
import saliency.model.geometry.PolygonRasterizer;
import saliency.model.metrics.PolygonFidelity;

/** The {@code bench-geometry} subcommand: rasterizer and mask-to-polygon throughput, and polygon fidelity on a mask folder; it holds only its options. */
@Command(
    name = "bench-geometry",
    mixinStandardHelpOptions = true,
    description = "Benchmark the polygon rasterizer and mask-to-polygon conversion; with --data, report polygon IoU on its masks.")
final class BenchGeometryCommand implements Callable<Integer> {
  @Option(names = "--width", defaultValue = "400", description = "Mask width (default ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "300", description = "Mask height (default ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--polygons", defaultValue = "3", description = "Polygons per region answer (default ${DEFAULT-VALUE}).")
  int polygonsPerAnswer;

  @Option(names = "--vertices", defaultValue = "24", description = "Vertices per polygon (default ${DEFAULT-VALUE}).")
  int verticesPerPolygon;

  @Option(names = "--seconds", defaultValue = "3", description = "Timed seconds per measurement, after an equal warm-up (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--seed", defaultValue = "7", description = "Random seed for the synthetic shapes (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--data", description = "Dataset folder holding masks/*.png (e.g. ../shared/data/duts-tr-500); its IoU report is printed.")
  Path data;

  @Spec CommandSpec spec;

  /** Keeps the timed results observable so the work cannot be optimized away. */
  static volatile long blackhole;

  @Override
  public Integer call() throws Exception {
    if (width <= 0 || height <= 0 || polygonsPerAnswer < 1 || verticesPerPolygon < 3 || !(seconds > 0)) {
      throw new ParameterException(spec.commandLine(),
          "--width and --height > 0, --polygons >= 1, --vertices >= 3 and --seconds > 0 are required");
    }
    if (data != null && !Files.isDirectory(data.resolve("masks"))) {
      throw new ParameterException(spec.commandLine(), "--data: no masks folder in " + data);
    }
    System.out.printf(Locale.ROOT, "geometry benchmark: 1 thread, %d cpus, system load average %.2f, %.1f s warm-up + %.1f s per figure%n",
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), seconds, seconds);
    Random rnd = new Random(seed);
    List<List<Polygon>> answers = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      List<Polygon> answer = new ArrayList<>();
      for (int k = 0; k < polygonsPerAnswer; k++) {
        answer.add(blob(rnd, verticesPerPolygon));
      }
      answers.add(answer);
    }
    double rasterRate = rate(i -> {
      List<Polygon> a = answers.get(i % answers.size());
      return PolygonRasterizer.rasterizeUnion(a, width, height).bits().length;
    });
    System.out.printf(Locale.ROOT, "rasterizer: %.0f masks/s (%dx%d, region answers of %d polygons x %d vertices)%n",
        rasterRate, width, height, polygonsPerAnswer, verticesPerPolygon);

    List<Mask> masks = new ArrayList<>();
    for (List<Polygon> a : answers) {
      masks.add(PolygonRasterizer.rasterizeUnion(a, width, height));
    }
    MaskPolygons.Options defaults = MaskPolygons.Options.defaults();
    double contourRate = rate(i -> MaskPolygons.polygons(masks.get(i % masks.size()), defaults).size());
    System.out.printf(Locale.ROOT, "contour+DP: %.0f masks/s (%dx%d, same shapes, eps %.4f)%n",
        contourRate, width, height, defaults.eps());
    MaskPolygons.Options budget = defaults.withMaxVertices(16);
    double budgetRate = rate(i -> MaskPolygons.polygons(masks.get(i % masks.size()), budget).size());
    System.out.printf(Locale.ROOT, "contour+DP, max 16 vertices: %.0f masks/s%n", budgetRate);

    if (data != null) {
      Path masksDir = data.resolve("masks");
      List<MaskPolygons.Options> opts = List.of(defaults, defaults.withMaxVertices(24), defaults.withMaxVertices(16),
          defaults.withMaxVertices(16).withMaxComponents(2), defaults.withMaxVertices(16).withMaxComponents(1));
      List<String> names = List.of("default eps " + defaults.eps(), "max 24 vertices", "max 16 vertices",
          "16 vertices, 2 parts (SFT targets)", "16 vertices, 1 part");
      List<PolygonFidelity.Summary> sums = PolygonFidelity.measureDirectory(masksDir, opts);
      System.out.println("polygon IoU vs mask on " + masksDir + ":");
      for (int i = 0; i < sums.size(); i++) {
        System.out.printf(Locale.ROOT, "  %-34s %s%n", names.get(i), sums.get(i).format());
      }
    }
    return 0;
  }

  /** Operations per second of {@code op} over {@link #seconds}, after a warm-up of the same length. */
  private double rate(java.util.function.IntToLongFunction op) {
    long sink = 0;
    long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
    int i = 0;
    while (System.nanoTime() < warmEnd) {
      sink += op.applyAsLong(i++);
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int count = 0;
    long now;
    do {
      sink += op.applyAsLong(count++);
      now = System.nanoTime();
    } while (now < end);
    blackhole = sink;
    return count / ((now - start) / 1e9);
  }

  /** A star-shaped blob: {@code n} vertices clockwise on screen around a random centre. */
  private static Polygon blob(Random rnd, int n) {
    double cx = 0.2 + 0.6 * rnd.nextDouble();
    double cy = 0.2 + 0.6 * rnd.nextDouble();
    double r = 0.05 + 0.2 * rnd.nextDouble();
    double a1 = 0.3 * rnd.nextDouble();
    double p1 = 2 * Math.PI * rnd.nextDouble();
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int k = 0; k < n; k++) {
      double t = 2 * Math.PI * k / n;
      double rr = r * (1 + a1 * Math.sin(3 * t + p1));
      xs[k] = Math.min(1, Math.max(0, cx + rr * Math.cos(t)));
      ys[k] = Math.min(1, Math.max(0, cy + rr * Math.sin(t)));
    }
    return new Polygon(xs, ys);
  }
}
