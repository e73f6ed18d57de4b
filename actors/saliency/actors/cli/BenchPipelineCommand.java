package saliency.actors.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import saliency.actors.train.OnlineTraining;
import saliency.actors.train.RunProgress;
import saliency.model.data.DataPosition;
import saliency.model.policy.PolicyNetwork;
import saliency.model.report.RunReporter;
import saliency.model.rl.AlgorithmName;
import saliency.model.train.PolicyTrainer;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;
import saliency.streams.PipelineStats;

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

  /** Samples/s and process CPU per sample measured after the warm-up, from (time, samples) observations. */
  private static final class Rate {
    double t0 = -1;
    long s0;
    long c0;
    double t1;
    long s1;
    long c1;

    void observe(double t, long samples, double warmup) {
      if (t < warmup) {
        return;
      }
      long cpu = cpuNanos();
      if (t0 < 0) {
        t0 = t;
        s0 = samples;
        c0 = cpu;
      }
      t1 = t;
      s1 = samples;
      c1 = cpu;
    }

    double perSecond() {
      return t1 > t0 ? (s1 - s0) / (t1 - t0) : Double.NaN;
    }

    double cpuMillisPerSample() {
      return s1 > s0 && c0 >= 0 ? (c1 - c0) / 1e6 / (s1 - s0) : Double.NaN;
    }
  }

  /** The bare network in a plain loop: sample, decode + reward, confidence + advantage, gradient, Adam. */
  private double bare(TrainSettings s) throws Exception {
    long cpu0 = cpuNanos();
    Rate bare = new Rate();
    PolicyTrainer.PhaseResult r;
    try (PolicyNetwork net = PolicyNetwork.create(s.policyConfig())) {
      final int b = batch;
      PolicyTrainer trainer = new PolicyTrainer(s, net, System::nanoTime,
          (phase, step, elapsed, budget, stats) -> bare.observe(elapsed, step * b, warmup));
      TrainingData td = TrainingData.synthetic(trainer.encoder(), s.seed(), 0, DataPosition.START);
      r = trainer.rl(td.train(), warmup + seconds);
    }
    System.out.printf(Locale.ROOT, "bare loop:  %.2f samples/s, process CPU %.1f ms/sample after warm-up (%d samples in "
            + "%.1f s in all, %.1f ms/sample with start-up)%n", bare.perSecond(), bare.cpuMillisPerSample(), r.samples(),
        r.seconds(), (cpuNanos() - cpu0) / 1e6 / Math.max(1, r.samples()));
    return bare.perSecond();
  }

  /** The same work through streams + actors, in a temporary run folder. */
  private double pipeline(TrainSettings s) throws Exception {
    long cpu0 = cpuNanos();
    Path runDir = Files.createTempDirectory("bench-pipeline");
    Rate piped = new Rate();
    OnlineTraining.Result result;
    try (PolicyNetwork net = PolicyNetwork.create(s.policyConfig());
        RunReporter reporter = new RunReporter(runDir, System::nanoTime)) {
      Config config = OnlineTraining.nodeConfig(ConfigFactory.parseString(
          "saliency.pipeline { sample-batch = " + batch + ", gradient-batch = " + batch + " }\n"
              + "pekko.loglevel = WARNING\n").withFallback(ConfigFactory.load()), s, runDir);
      OnlineTraining online = new OnlineTraining(new OnlineTraining.Options(config, s, runDir, warmup + seconds, 0,
          0.5, 5, 0, 1, true), System::nanoTime);
      TrainingData td = TrainingData.synthetic(new saliency.model.train.ExampleEncoder(s), s.seed(), 0,
          DataPosition.START);
      result = online.run(td, net, RunProgress.START, reporter, p -> piped.observe(p.seconds(), p.samples(), warmup));
    } finally {
      try (Stream<Path> files = Files.walk(runDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    PipelineStats.Snapshot st = result.stats();
    System.out.printf(Locale.ROOT, "pipeline:   %.2f samples/s, process CPU %.1f ms/sample after warm-up (%d samples in "
            + "%.1f s in all, %.1f ms/sample with start-up; %d gradients, %d stale gradient slices, %d failures, "
            + "learner versions %s)%n", piped.perSecond(), piped.cpuMillisPerSample(),
        st.trainedSamples(), result.seconds(), (cpuNanos() - cpu0) / 1e6 / Math.max(1, st.trainedSamples()),
        st.gradients(), st.slicesStale(), st.failures(), java.util.Arrays.toString(result.versions()));
    return piped.perSecond();
  }

  /** CPU time of the whole process (all threads, TensorFlow's included), or -1 when the JVM cannot tell. */
  private static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  @Override
  public Integer call() throws Exception {
    TrainSettings d = TrainSettings.defaults();
    TrainSettings s = d.withRl(TrainCommand.rlSettings(ConfigFactory.load()).withAlgo(AlgorithmName.parse(algo),
            confidence)).withSeed(seed).withThreads(threads).withSft(d.sft().withSeconds(0))
        .withRlPhase(d.rlPhase().withSeconds(warmup + seconds).withBatch(batch)).withEval(new TrainSettings.Eval(0, 1));
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
