package saliency.actors.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import saliency.actors.learner.LearnerBench;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.train.PipelineBench;
import saliency.model.bench.AlgorithmRace;
import saliency.model.bench.BenchTable;
import saliency.model.bench.MachineInfo;
import saliency.model.bench.PolicyThroughput;
import saliency.model.bench.ProcessStats;
import saliency.model.policy.FlopCounter;
import saliency.model.policy.PolicyNetwork;
import saliency.model.rl.AlgorithmName;
import saliency.model.train.TrainSettings;

/**
 * {@code bench}: the project's measurements in one run (policy throughput, pipeline against the bare loop, {@code train}'s
 * RL samples/s, the RL algorithms raced on held-out reward, FLOP utilization, learner slice throughput, peak RSS),
 * printed as a table and written as JSON; holds only its options.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Runs the project's measurements and prints them as one table; writes the table as JSON.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "short budgets: 3 s per policy loop, 6 s per pipeline side, 40 s of train, "
      + "10 s of SFT and 20 s per algorithm in the race (without it: 10 s, 30 s, 2 minutes, 90 s and 90 s)")
  boolean quick;

  @Option(names = "--out", defaultValue = "bench.json", description = "JSON file of the table (default ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--seed", defaultValue = "1", description = "seed of weights, data and sampling (default ${DEFAULT-VALUE})")
  long seed;

  @Spec
  CommandSpec spec;

  /** The budgets of one run, in seconds. */
  record Budgets(double policySeconds, double pipelineWarmup, double pipelineSeconds, double trainSft, double trainRl,
      int trainEvalImages, double raceSft, double raceArm, double raceEvalEvery, int raceHeldOut, double learnerWarmup,
      double learnerSeconds) {
    static Budgets of(boolean quick) {
      return quick ? new Budgets(3, 1, 6, 10, 30, 32, 10, 20, 4, 64, 1, 3)
          : new Budgets(10, 5, 30, 60, 60, 100, 90, 90, 10, 200, 2, 10);
    }
  }

  /** Policy batch of the throughput rows: the pipeline's sample batch. */
  static final int BATCH = 16;
  /** Samples per call of the SFT step row. */
  static final int SFT_BATCH = 32;
  /** The arms of the race, GRPO's group size from {@code saliency.rl}. */
  static final List<AlgorithmName> ARMS =
      List.of(AlgorithmName.CGPO, AlgorithmName.GRPO, AlgorithmName.GSPO, AlgorithmName.REINFORCE_PP);

  /** One part of the run; a part that fails is recorded as a fact and the run goes on with the next. */
  interface Part {
    void run() throws Exception;
  }

  // figures shared between parts (null or -1 until measured)
  private PolicyThroughput.Measure sampling;
  private PolicyThroughput.Measure gradients;
  private FlopCounter.PolicyFlops flops;
  private int parameters = -1;

  @Override
  public Integer call() throws Exception {
    Budgets b = Budgets.of(quick);
    Config config = ConfigFactory.load();
    MachineInfo machine = MachineInfo.current();
    BenchTable table = new BenchTable()
        .fact("command", "java -jar target/saliency.jar " + String.join(" ", spec.commandLine().getParseResult()
            .originalArgs()))
        .fact("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .fact("machine", machine.describe())
        .fact("load average at start", String.format(Locale.ROOT, "%.2f", ProcessStats.loadAverage()));
    TrainSettings defaults = TrainSettings.defaults().withRl(SaliencySettings.rl(config.getConfig("saliency.rl")))
        .withSeed(seed);
    double peak = machine.peakFlops();
    part(table, "policy", () -> policy(table, defaults, b, peak));
    part(table, "pipeline", () -> pipeline(table, config, b));
    part(table, "train", () -> train(table, b, peak));
    part(table, "race", () -> race(table, defaults, b));
    part(table, "learner", () -> learner(table, config, b));
    table.add("memory.peak-rss", "peak RSS of this process (VmHWM)", ProcessStats.peakRssBytes() / 1048576.0, "MiB",
        "after every measurement above");
    table.fact("load average at end", String.format(Locale.ROOT, "%.2f", ProcessStats.loadAverage()));
    table.writeJson(out);
    System.out.println();
    System.out.print(table.text());
    System.out.println("written: " + out);
    return 0;
  }

  private static void part(BenchTable table, String name, Part part) {
    try {
      part.run();
    } catch (Exception e) {
      String m = Main.message(e);
      say("%s failed: %s", name, m);
      table.fact("failed: " + name, m);
    }
  }

  /** Policy sampling, gradients and SFT steps, the graph's FLOPs, and the utilization of the first two. */
  private void policy(BenchTable table, TrainSettings defaults, Budgets b, double peak) throws Exception {
    say("policy throughput, batch %d, %.0f s per loop", BATCH, b.policySeconds());
    try (PolicyNetwork net = PolicyNetwork.create(defaults.policyConfig())) {
      parameters = net.parameterCount();
      Random rnd = new Random(seed);
      int side = defaults.sizes().imageSize();
      PolicyThroughput pt = new PolicyThroughput(net, PolicyThroughput.randomImages(rnd, BATCH, side), BATCH, seed);
      sampling = pt.sampling(b.policySeconds());
      gradients = pt.gradients(b.policySeconds());
      PolicyThroughput.Measure sft =
          pt.sftSteps(PolicyThroughput.randomImages(rnd, SFT_BATCH, side), SFT_BATCH, b.policySeconds());
      table.add("policy.sampling", "policy sampling (temperature 1)", sampling.samplesPerSecond(), "samples/s",
          String.format(Locale.ROOT, "%d calls of %d in %.1f s, %.1f ms/call, mean %.1f tokens; 1 TF thread",
              sampling.calls(), BATCH, sampling.seconds(), sampling.millisPerCall(), sampling.meanTokens()));
      table.add("policy.gradients", "policy gradients (forward + backward)", gradients.samplesPerSecond(), "samples/s",
          String.format(Locale.ROOT, "%d calls of %d in %.1f s, %.1f ms/call; 1 TF thread", gradients.calls(), BATCH,
              gradients.seconds(), gradients.millisPerCall()));
      table.add("policy.sft-step", "SFT step (gradient, clip, Adam, weights set)", sft.millisPerCall(), "ms/step",
          String.format(Locale.ROOT, "batch %d, %d steps in %.1f s", SFT_BATCH, sft.calls(), sft.seconds()));
      say("counting FLOPs from the graph");
      flops = FlopCounter.policy(net, BATCH);
    }
    table.add("flops.sampling", "FLOPs per sampled completion", flops.samplingPerSample(), "FLOP",
        describe(flops.sampling(), flops.batch()));
    table.add("flops.gradient", "FLOPs per policy-gradient sample (forward + backward)", flops.gradientPerSample(),
        "FLOP", describe(flops.gradient(), flops.batch()));
    table.add("mfu.sampling", "FLOP utilization of sampling", flops.samplingPerSample() * sampling.samplesPerSecond()
        / peak, "of peak", "FLOPs per completion x sampling samples/s / assumed peak");
    table.add("mfu.gradients", "FLOP utilization of policy gradients", flops.gradientPerSample()
        * gradients.samplesPerSecond() / peak, "of peak", "FLOPs per sample x gradient samples/s / assumed peak");
  }

  /** The bare loop and the pipeline doing the same work, one after the other. */
  private void pipeline(BenchTable table, Config config, Budgets b) throws Exception {
    TrainSettings cmp = PipelineBench.settings(config, "cgpo", "calibrated", seed, 1, BATCH,
        b.pipelineWarmup() + b.pipelineSeconds());
    int loops = PipelineBench.loopsLike(config);
    say("bare loop x %d, %.0f s after %.0f s of warm-up", loops, b.pipelineSeconds(), b.pipelineWarmup());
    PipelineBench.Measured bare = PipelineBench.bare(cmp, b.pipelineWarmup(), b.pipelineSeconds(), loops);
    String cmpNote = String.format(Locale.ROOT, "CGPO (calibrated), batch %d, %.0f s after %.0f s warm-up",
        BATCH, b.pipelineSeconds(), b.pipelineWarmup());
    table.add("pipeline.bare", "bare loops (single-process trainer, one per policy actor: " + loops + ")",
        bare.samplesPerSecond(), "samples/s",
        cmpNote + String.format(Locale.ROOT, ", process CPU %.2f cores", bare.cpuUtilization()));
    say("pipeline, %.0f s after %.0f s of warm-up", b.pipelineSeconds(), b.pipelineWarmup());
    PipelineBench.Measured piped = PipelineBench.pipeline(cmp, b.pipelineWarmup(), b.pipelineSeconds());
    table.add("pipeline.end-to-end", "pipeline end to end (streams + actors)", piped.samplesPerSecond(), "samples/s",
        cmpNote + String.format(Locale.ROOT, ", process CPU %.2f cores; %s", piped.cpuUtilization(), piped.detail()));
    table.add("pipeline.ratio", "pipeline / bare", piped.samplesPerSecond() / bare.samplesPerSecond(), "",
        "the two rows above, measured one after the other in this process");
  }

  /** {@code train} with its defaults in a child JVM, and the FLOP utilization of its RL. */
  private void train(BenchTable table, Budgets b, double peak) throws Exception {
    double minutes = (b.trainSft() + b.trainRl()) / 60;
    say("train with its defaults in a child JVM: %.2f minutes in all, %.0f s of SFT", minutes, b.trainSft());
    TrainProcess.Result train = TrainProcess.run(minutes, b.trainSft(), b.trainEvalImages(), seed,
        line -> System.out.println("  | " + line));
    table.add("train.rl", "RL samples/s of train (defaults, synthetic scenes)", train.samplesPerSecond(), "samples/s",
        String.format(Locale.ROOT, "as `%s` prints it: %d samples in %.1f s of %s RL; held-out greedy IoU %.3f after "
                + "SFT, %.3f after RL (%d scenes)", train.command(), train.samples(), train.seconds(),
            train.algorithm(), train.iouAfterSft(), train.iouAfterRl(), b.trainEvalImages()));
    if (flops != null) {
      table.add("mfu.train", "FLOP utilization of train's RL", (flops.samplingPerSample() + flops.gradientPerSample())
          * train.samplesPerSecond() / peak, "of peak",
          "(sampling + gradient FLOPs per sample) x train RL samples/s / assumed peak");
    }
  }

  /** Gradient slices absorbed by one learner slice of the policy's layout. */
  private void learner(BenchTable table, Config config, Budgets b) throws Exception {
    if (parameters < 0) {
      throw new IllegalStateException("no parameter count: the policy part did not run");
    }
    SaliencySettings settings = SaliencySettings.fromConfig(config);
    int window = Math.min(4, settings.learner().maxStaleness() + 1);
    say("learner slice, %.0f s", b.learnerSeconds());
    LearnerBench.Result learner = LearnerBench.absorb(config, settings.layout(parameters), settings.learner(), window,
        b.learnerWarmup(), b.learnerSeconds());
    table.add("learner.slices", "gradient slices absorbed by one learner slice", learner.slicesPerSecond(), "slices/s",
        String.format(Locale.ROOT, "%d floats per slice (%d parameters, saliency.learner defaults: accumulate %d, "
                + "checkpoint every %d), %d in flight, %d accepted in %.1f s, %d versions", learner.floatsPerSlice(),
            parameters, settings.learner().accumulate(), settings.learner().checkpointEvery(), window,
            learner.accepted(), learner.seconds(), learner.versions()));
  }

  /** The algorithm race: its rows, the target reward (GRPO's final) and each arm's curve as a series. */
  private static void race(BenchTable table, TrainSettings defaults, Budgets b) {
    say("algorithms from one SFT warm start (%.0f s): %.0f s of RL each, held-out reward every %.0f s", b.raceSft(),
        b.raceArm(), b.raceEvalEvery());
    AlgorithmRace.Result r = new AlgorithmRace(defaults, ARMS, b.raceSft(), b.raceArm(), b.raceEvalEvery(),
        b.raceHeldOut()).run(System::nanoTime, line -> System.out.println("  " + line));
    String how = String.format(Locale.ROOT, "greedy answers on %d held-out scenes; seed, warm start and %.0f s budget "
        + "shared; evaluation time excluded", b.raceHeldOut(), b.raceArm());
    table.add("race.warm-start", "held-out reward after the SFT warm start", r.warmStartReward(), "reward",
        String.format(Locale.ROOT, "%d SFT steps in %.0f s; %s", r.sftSteps(), b.raceSft(), how));
    double target = r.curve(AlgorithmName.GRPO).finalReward();
    for (AlgorithmRace.Curve c : r.curves()) {
      String name = c.algorithm().configName();
      table.add("race." + name + ".reward", name + ": held-out reward at the end", c.finalReward(), "reward",
          String.format(Locale.ROOT, "%d steps, %d samples in %.1f s", c.steps(), c.samples(), c.seconds()));
      table.add("race." + name + ".samples-per-second", name + ": RL samples/s (single process)",
          c.samples() / c.seconds(), "samples/s", "samples over RL seconds of the arm");
      AlgorithmRace.Point p = c.firstAtLeast(target);
      table.add("race." + name + ".time-to-target", name + ": seconds to reach GRPO's final reward",
          p == null ? Double.NaN : p.seconds(), "s", p == null ? "not reached in the budget (n/a)"
              : String.format(Locale.ROOT, "first evaluation at or above %.4f, after %d samples", target,
                  p.samples()));
      List<double[]> pts = new ArrayList<>();
      for (AlgorithmRace.Point q : c.points()) {
        pts.add(new double[] {q.seconds(), q.samples(), q.reward()});
      }
      table.series("race." + name, List.of("seconds", "samples", "reward"), pts);
    }
    AlgorithmRace.Point cg = r.curve(AlgorithmName.CGPO).firstAtLeast(target);
    AlgorithmRace.Point gr = r.curve(AlgorithmName.GRPO).firstAtLeast(target);
    double ratio = cg == null ? Double.NaN : gr.seconds() > 0 ? cg.seconds() / gr.seconds() : Double.NaN;
    table.add("race.cgpo-over-grpo-time", "CGPO's time to GRPO's final reward / GRPO's", ratio, "",
        cg == null ? "CGPO did not reach it (n/a)" : gr.seconds() == 0 ? "the warm start already had it (n/a)"
            : ratio <= 1.0 / 3 ? "at most 1/3: the claim holds in this run" : "above 1/3: the claim fails in this run");
  }

  private static String describe(FlopCounter.Count c, int batch) {
    return String.format(Locale.ROOT, "from the graph at batch %d: matmul %.3g, conv %.3g, element-wise %.3g per "
            + "sample; %d ops counted, %d left out (unknown shape)", batch, c.matMul() / (double) batch,
        c.conv() / (double) batch, c.elementwise() / (double) batch, c.countedOps(), c.unknownShapeOps());
  }

  private static void say(String format, Object... args) {
    System.out.printf(Locale.ROOT, "bench: " + format + "%n", args);
  }
}
