package saliency.actors.cli;

import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import saliency.actors.train.PipelineBench;
import saliency.model.train.TrainSettings;

/**
 * {@code bench-pipeline}: RL samples per second through the whole pipeline (training graph, policy actor, sharded
 * learner) against the bare network doing the same sample, reward, advantage and gradient work in a plain loop at the
 * same batch, in one process and run; holds only its options.
 */
@Command(name = "bench-pipeline", mixinStandardHelpOptions = true,
    description = "Compares end-to-end RL samples/s of the streams+actors pipeline with a plain loop over the bare "
        + "policy network (same batch, same work), and prints both and their ratio.")
public final class BenchPipelineCommand implements Callable<Integer> {
  @Option(names = "--seconds", defaultValue = "30", description = "measured seconds per side (default ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--warmup", defaultValue = "5", description = "seconds per side not counted (default ${DEFAULT-VALUE})")
  double warmup;

  @Option(names = "--batch", defaultValue = "16", description = "sample batch = gradient batch = loop batch (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--algo", defaultValue = "cgpo", description = "cgpo | grpo | gspo | reinforce++ (default ${DEFAULT-VALUE})")
  String algo;

  @Option(names = "--confidence", defaultValue = "calibrated", description = "CGPO confidence (default ${DEFAULT-VALUE})")
  String confidence;

  @Option(names = "--threads", defaultValue = "1", description = "TensorFlow intra-op threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--skip-bare", description = "measure the pipeline only (tuning runs)")
  boolean skipBare;

  @Option(names = "--rounds", defaultValue = "1", description = "bare-then-pipeline rounds; the median ratio is "
      + "printed (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--seed", defaultValue = "1", description = "seed of weights, data and sampling")
  long seed;

  @Option(names = "--loops", defaultValue = "0", description = "plain loops run at once on the bare side, one thread "
      + "and network each (default 0: one per policy actor, saliency.policy.count, the pipeline's use of cores)")
  int loops;

  /** The bare network in a plain loop: sample, decode + reward, confidence + advantage, gradient, Adam. */
  private double bare(TrainSettings s) throws Exception {
    int n = loops > 0 ? loops : PipelineBench.loopsLike(ConfigFactory.load());
    PipelineBench.Measured m = PipelineBench.bare(s, warmup, seconds, n);
    System.out.printf(Locale.ROOT, "bare loop:  %.2f samples/s in %d loop(s) at once, process CPU %.1f ms/sample and "
            + "%.2f cores after warm-up (%d samples in %.1f s in all, %.1f ms/sample with start-up)%n",
        m.samplesPerSecond(), n, m.cpuMillisPerSample(), m.cpuUtilization(), m.samples(), m.seconds(),
        m.cpuMillisWithStartup());
    return m.samplesPerSecond();
  }

  /** The same work through streams + actors, in a temporary run folder. */
  private double pipeline(TrainSettings s) throws Exception {
    PipelineBench.Measured m = PipelineBench.pipeline(s, warmup, seconds);
    System.out.printf(Locale.ROOT, "pipeline:   %.2f samples/s, process CPU %.1f ms/sample and %.2f cores after warm-up "
            + "(%d samples in %.1f s in all, %.1f ms/sample with start-up; %s)%n", m.samplesPerSecond(),
        m.cpuMillisPerSample(), m.cpuUtilization(), m.samples(), m.seconds(), m.cpuMillisWithStartup(), m.detail());
    return m.samplesPerSecond();
  }

  @Override
  public Integer call() throws Exception {
    TrainSettings s = PipelineBench.settings(ConfigFactory.load(), algo, confidence, seed, threads, batch,
        warmup + seconds);
    System.out.printf(Locale.ROOT, "bench-pipeline: algo %s (%s), batch %d, %.0f s measured after %.0f s warm-up per "
            + "side, %d TF intra-op threads, %d cpus, load %.2f%n", s.rl().algo(), s.rl().confidence(), batch, seconds, warmup,
        threads, Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    double[] ratios = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      double bareRate = skipBare ? Double.NaN : bare(s);
      double pipedRate = pipeline(s);
      ratios[round] = pipedRate / bareRate;
      System.out.printf(Locale.ROOT, "round %d: ratio pipeline / bare %.3f (load now %.2f)%n", round + 1, ratios[round],
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
    double[] sorted = ratios.clone();
    java.util.Arrays.sort(sorted);
    int m = sorted.length / 2;
    double median = sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    System.out.printf(Locale.ROOT, "ratio pipeline / bare: median %.3f over %d round(s) %s%n", median, rounds,
        java.util.Arrays.toString(ratios));
    return 0;
  }
}
