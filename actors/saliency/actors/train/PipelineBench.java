package saliency.actors.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import saliency.model.bench.ProcessStats;
import saliency.model.data.DataPosition;
import saliency.model.policy.PolicyNetwork;
import saliency.model.report.RunReporter;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.PolicyTrainer;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;
import saliency.streams.PipelineStats;

/**
 * RL throughput measurements shared by {@code bench-pipeline} and {@code bench}: the bare network in a plain loop
 * (the single-process trainer) and the same work through the streams + actors pipeline. Stateless; every pipeline
 * run gets its own temporary run folder, removed afterwards.
 */
public final class PipelineBench {
  private PipelineBench() {}

  /**
   * Samples/s and process CPU measured between the first and the last observation at or after the warm-up.
   *
   * @param samplesPerSecond samples per second after the warm-up
   * @param cpuMillisPerSample process CPU milliseconds per sample after the warm-up
   * @param cpuUtilization process CPU seconds per wall second after the warm-up (2.0 = two cores busy)
   * @param samples samples in the whole run, warm-up included
   * @param seconds wall clock of the whole run
   * @param cpuMillisWithStartup process CPU milliseconds per sample over the whole call, start-up included
   * @param detail a line of what else the run reported
   */
  public record Measured(double samplesPerSecond, double cpuMillisPerSample, double cpuUtilization, long samples,
      double seconds, double cpuMillisWithStartup, String detail) {}

  /** Observations of (time, samples) with the process CPU time; only those at or after the warm-up count. */
  static final class Rate {
    private final double warmup;
    private double t0 = -1;
    private long s0;
    private long c0;
    private double t1;
    private long s1;
    private long c1;

    Rate(double warmup) {
      this.warmup = warmup;
    }

    synchronized void observe(double t, long samples) {
      if (t < warmup) {
        return;
      }
      long cpu = ProcessStats.cpuNanos();
      if (t0 < 0) {
        t0 = t;
        s0 = samples;
        c0 = cpu;
      }
      t1 = t;
      s1 = samples;
      c1 = cpu;
    }

    synchronized double perSecond() {
      return t1 > t0 ? (s1 - s0) / (t1 - t0) : Double.NaN;
    }

    synchronized double cpuMillisPerSample() {
      return s1 > s0 && c0 >= 0 ? (c1 - c0) / 1e6 / (s1 - s0) : Double.NaN;
    }

    synchronized double cpuUtilization() {
      return t1 > t0 && c0 >= 0 ? (c1 - c0) / 1e9 / (t1 - t0) : Double.NaN;
    }
  }

  /**
   * The settings of a throughput comparison: the defaults with {@code saliency.rl} from {@code config}, the algorithm,
   * seed and threads given, RL batch {@code batch}, no held-out evaluation and a budget of {@code seconds} of RL.
   */
  public static TrainSettings settings(Config config, String algo, String confidence, long seed, int threads,
      int batch, double seconds) {
    TrainSettings d = TrainSettings.defaults();
    return d.withRl(saliency.actors.settings.SaliencySettings.rl(config.getConfig("saliency.rl"))
            .withAlgo(saliency.model.rl.AlgorithmName.parse(algo), confidence))
        .withSeed(seed).withThreads(threads).withSft(d.sft().withSeconds(0))
        .withRlPhase(d.rlPhase().withSeconds(seconds).withBatch(batch)).withEval(new TrainSettings.Eval(0, 1));
  }

  /**
   * The bare network in {@code loops} plain loops at once, one thread and one network each (sample, decode + reward,
   * confidence + advantage, gradient, Adam): the same work and the same use of cores as a pipeline with that many policy
   * actors, without streams, actors or a shared learner. Samples/s is the loops' sum.
   */
  public static Measured bare(TrainSettings s, double warmup, double seconds, int loops) throws Exception {
    if (loops < 1) {
      throw new IllegalArgumentException("loops must be >= 1: " + loops);
    }
    long cpu0 = ProcessStats.cpuNanos();
    Rate rate = new Rate(warmup);
    java.util.concurrent.atomic.AtomicLongArray done = new java.util.concurrent.atomic.AtomicLongArray(loops);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(loops);
    List<java.util.concurrent.Future<PolicyTrainer.PhaseResult>> runs = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < loops; i++) {
        final int loop = i;
        runs.add(pool.submit(() -> {
          try (PolicyNetwork net = PolicyNetwork.create(s.policyConfig())) {
            int b = s.rlPhase().batch();
            PolicyTrainer trainer = new PolicyTrainer(s, net, System::nanoTime,
                (phase, step, elapsed, budget, stats) -> {
                  done.set(loop, (long) step * b);
                  long all = 0;
                  for (int k = 0; k < loops; k++) {
                    all += done.get(k);
                  }
                  rate.observe(elapsed, all);
                });
            TrainingData td = TrainingData.synthetic(trainer.encoder(), s.seed() + 1000L * loop, 0,
                DataPosition.START);
            return trainer.rl(td.train(), warmup + seconds);
          }
        }));
      }
      long samples = 0;
      double wall = 0;
      for (java.util.concurrent.Future<PolicyTrainer.PhaseResult> f : runs) {
        PolicyTrainer.PhaseResult r = f.get();
        samples += r.samples();
        wall = Math.max(wall, r.seconds());
      }
      return new Measured(rate.perSecond(), rate.cpuMillisPerSample(), rate.cpuUtilization(), samples, wall,
          (ProcessStats.cpuNanos() - cpu0) / 1e6 / Math.max(1, samples), loops + " loop(s)");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Plain loops for a pipeline on this node: one per policy actor ({@code saliency.policy.count}). */
  public static int loopsLike(Config config) {
    return saliency.actors.settings.SaliencySettings.fromConfig(config).policy().count();
  }

  /** The same work as {@link #bare} through streams + actors, sample and gradient batch = the RL batch. */
  public static Measured pipeline(TrainSettings s, double warmup, double seconds) throws Exception {
    long cpu0 = ProcessStats.cpuNanos();
    Path runDir = Files.createTempDirectory("bench-pipeline");
    Rate rate = new Rate(warmup);
    OnlineTraining.Result result;
    int batch = s.rlPhase().batch();
    try (PolicyNetwork net = PolicyNetwork.create(s.policyConfig());
        RunReporter reporter = new RunReporter(runDir, System::nanoTime)) {
      Config config = OnlineTraining.nodeConfig(ConfigFactory.parseString(
          "saliency.pipeline { sample-batch = " + batch + ", gradient-batch = " + batch + " }\n"
              + "pekko.loglevel = WARNING\n").withFallback(ConfigFactory.load()), s, runDir);
      OnlineTraining online = new OnlineTraining(new OnlineTraining.Options(config, s, runDir, warmup + seconds, 0,
          0.5, 5, 0, 1, true), System::nanoTime);
      TrainingData td = TrainingData.synthetic(new ExampleEncoder(s), s.seed(), 0, DataPosition.START);
      result = online.run(td, net, RunProgress.START, reporter, p -> rate.observe(p.seconds(), p.samples()));
    } finally {
      delete(runDir);
    }
    PipelineStats.Snapshot st = result.stats();
    return new Measured(rate.perSecond(), rate.cpuMillisPerSample(), rate.cpuUtilization(), st.trainedSamples(),
        result.seconds(), (ProcessStats.cpuNanos() - cpu0) / 1e6 / Math.max(1, st.trainedSamples()),
        String.format(Locale.ROOT, "%d gradients, %d stale gradient slices, %d failures, learner versions %s",
            st.gradients(), st.slicesStale(), st.failures(), Arrays.toString(result.versions())));
  }

  private static void delete(Path dir) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
