package saliency.actors.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import saliency.model.geometry.Mask;
import saliency.model.metrics.SodMetrics;
import saliency.model.metrics.SyntheticMaps;
import saliency.model.reward.RewardFunction;
import saliency.model.reward.RewardWeights;

/**
 * The {@code bench-metrics} subcommand: single-thread throughput of the full metric set, of the
 * S-measure alone and of the reward function on synthetic maps; warm-up, then timed rounds.
 * Holds only its parsed options.
 */
@Command(
    name = "bench-metrics",
    mixinStandardHelpOptions = true,
    description = "Measures metric and reward throughput (images/s, one thread) on synthetic maps.")
public final class BenchMetricsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--width", defaultValue = "400", description = "Map width (${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "300", description = "Map height (${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--images", defaultValue = "32", description = "Distinct synthetic pairs (${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--warmup-seconds", defaultValue = "3", description = "Warm-up per benchmark (${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds per benchmark (${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--round-seconds", defaultValue = "2", description = "Length of a timed round (${DEFAULT-VALUE}).")
  double roundSeconds;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic maps (${DEFAULT-VALUE}).")
  long seed;

  /** A sink for results so the JIT cannot drop the work. */
  private double sink;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (width <= 0 || height <= 0 || images <= 0 || rounds <= 0 || roundSeconds <= 0 || warmupSeconds < 0) {
      spec.commandLine().getErr().println("bench-metrics: sizes, counts and durations must be positive");
      return 2;
    }
    Random rnd = new Random(seed);
    List<SyntheticMaps.Pair> pairs = new ArrayList<>();
    List<double[]> predLevels = new ArrayList<>();
    List<Mask> predMasks = new ArrayList<>();
    List<Mask> gtMasks = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      SyntheticMaps.Pair p = SyntheticMaps.ellipsePair(rnd, width, height);
      pairs.add(p);
      int[] px = p.pred().pixels();
      double[] d = new double[px.length];
      for (int k = 0; k < px.length; k++) {
        d[k] = px[k];
      }
      predLevels.add(d);
      predMasks.add(p.pred().toMask(127));
      gtMasks.add(p.gt().toMask(SodMetrics.GT_THRESHOLD));
    }
    RewardFunction reward = new RewardFunction(RewardWeights.defaults());
    out.printf(Locale.ROOT, "bench-metrics: %d synthetic pairs of %dx%d, one thread, %s%n",
        images, width, height, Runtime.version());
    run(out, "full metric set (10 figures)", i -> {
      SodMetrics m = new SodMetrics();
      m.add(pairs.get(i).pred(), pairs.get(i).gt());
      sink += m.results().sMeasure();
    });
    run(out, "S-measure alone", i ->
        sink += SodMetrics.sMeasure(predLevels.get(i), gtMasks.get(i).bits(), width, height));
    run(out, "reward (IoU+S+centroid+format)", i ->
        sink += reward.score(predMasks.get(i), gtMasks.get(i), true).total());
    out.printf(Locale.ROOT, "(checksum %.6f)%n", sink);
    out.flush();
    return 0;
  }

  private interface Work {
    void on(int index);
  }

  private void run(PrintWriter out, String name, Work work) {
    long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    int i = 0;
    while (System.nanoTime() < warmEnd) {
      work.on(i++ % images);
    }
    double[] rates = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      long end = start + (long) (roundSeconds * 1e9);
      long n = 0;
      long now;
      do {
        work.on((int) (n % images));
        n++;
        now = System.nanoTime();
      } while (now < end);
      rates[r] = n / ((now - start) / 1e9);
    }
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    out.printf(Locale.ROOT, "%-32s median %9.1f images/s  (min %.1f, max %.1f; %.3f ms/image)%n",
        name, sorted[rounds / 2], sorted[0], sorted[rounds - 1], 1000.0 / sorted[rounds / 2]);
    out.flush();
  }
}
