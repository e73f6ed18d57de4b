package saliency.actors.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.UniqueKillSwitch;
import saliency.actors.Guardian;
import saliency.actors.learner.LearnerShard;
import saliency.actors.learner.ShardedLearnerClient;
import saliency.actors.learner.SliceCheckpoint;
import saliency.actors.policy.PolicyActor;
import saliency.actors.policy.PolicyBackend;
import saliency.actors.policy.TfPolicyBackend;
import saliency.actors.settings.SaliencySettings;
import saliency.model.data.DataPosition;
import saliency.model.policy.PolicyConfig;
import saliency.model.policy.PolicyNetwork;
import saliency.model.policy.confidence.HeadConfidence;
import saliency.model.report.RunReporter;
import saliency.model.rl.Algorithm;
import saliency.model.train.EvalResult;
import saliency.model.train.Evaluator;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;
import saliency.streams.IteratorSources;
import saliency.streams.LearnerClient;
import saliency.streams.PolicyClient;
import saliency.streams.PipelineStats;
import saliency.streams.SubmitResult;
import saliency.streams.TrainingGraph;

/**
 * The RL phase through the streams-and-actors pipeline: starts a node (guardian, sharded learner seeded with the given
 * weights or restored from the run folder's slice checkpoints, policy actors over {@link TfPolicyBackend}s), runs the
 * training graph over the data for a budget, reports windows of statistics and periodic held-out IoU, saves the data
 * position once every slice holds its weights and then every few seconds, and on stop checkpoints every slice and
 * gathers the final weights. One instance per run; {@link #run} is called once from one thread, which owns the
 * reporter and the evaluation network.
 */
public final class OnlineTraining {

  /**
   * What to run.
   *
   * @param config the full node config ({@code saliency} and {@code pekko}); see {@link #nodeConfig}
   * @param settings the run's training settings (sizes, temperature, reward weights, confidence)
   * @param runDir the run folder (learner slices, progress, reports)
   * @param seconds RL wall-clock budget of this session (0: none)
   * @param samples trained-sample budget of this session (0: none); at least one budget must be set. The source
   *     admits only the prompts that make up this many samples (rounded up to whole GRPO/GSPO groups), so the run
   *     trains at most that many plus one group less one sample, whatever the pipeline holds in flight
   * @param reportEverySeconds period of statistics rows and progress callbacks
   * @param positionEverySeconds period of the atomic {@code progress.properties} write
   * @param evalEverySeconds period of the held-out greedy IoU during the run (0: only at the end)
   * @param evalImages held-out images in the periodic evaluation (the first ones of the held-out list)
   * @param finalCheckpoint on stop, checkpoint every learner slice (false simulates a crash: steps since each slice's
   *     last periodic checkpoint are lost)
   */
  public record Options(Config config, TrainSettings settings, Path runDir, double seconds, long samples,
      double reportEverySeconds, double positionEverySeconds, double evalEverySeconds, int evalImages,
      boolean finalCheckpoint) {
    public Options {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(runDir, "runDir");
      if (seconds < 0 || samples < 0 || (seconds == 0 && samples == 0)) {
        throw new IllegalArgumentException("need a positive budget: seconds " + seconds + ", samples " + samples);
      }
      if (!(reportEverySeconds > 0) || !(positionEverySeconds > 0) || evalEverySeconds < 0 || evalImages < 0) {
        throw new IllegalArgumentException("report, position and eval periods must be positive");
      }
    }
  }

  /** One progress report (for bars and logs). */
  public record Progress(double seconds, double budgetSeconds, long samples, long budgetSamples,
      double samplesPerSecond, double reward, double confidence, long staleGradients, long version,
      Map<String, Double> rewardByTask) {
    /** Progress without per-task rewards (an SOD-only run). */
    public Progress(double seconds, double budgetSeconds, long samples, long budgetSamples, double samplesPerSecond,
        double reward, double confidence, long staleGradients, long version) {
      this(seconds, budgetSeconds, samples, budgetSamples, samplesPerSecond, reward, confidence, staleGradients,
          version, Map.of());
    }
  }

  /** Receives progress reports on the run's thread. */
  public interface Listener {
    void progress(Progress p);
  }

  /**
   * What the session did.
   *
   * @param weights the final flat weights gathered from the learner slices
   * @param versions the final version of each learner slice
   * @param progress the run's progress after this session (also written to the run folder)
   * @param stats the pipeline's counters of this session
   * @param seconds this session's RL wall-clock seconds
   * @param policyUpdates slices swapped into the policy actors during the session (policy 0)
   * @param admittedSamples samples let into the pipeline (prompts pulled from the source times samples per prompt);
   *     with a sample budget, at most the budget rounded up to a whole group
   * @param stoppedBy what ended the session: {@code seconds}, {@code samples}, {@code stop request} or {@code data}
   *     (the source ran dry)
   */
  public record Result(float[] weights, long[] versions, RunProgress progress, PipelineStats.Snapshot stats,
      double seconds, long policyUpdates, long admittedSamples, String stoppedBy) {}

  private final Options options;
  private final LongSupplier nanoClock;
  private final java.util.function.BooleanSupplier stopRequested;
  private ExampleEncoder encoder;
  /** Completed with the first learner slice checkpoint that could not be written (from an actor's thread). */
  private final CompletableFuture<LearnerShard.CheckpointFailed> checkpointFailure = new CompletableFuture<>();
  /** Longest wait, after the graph failed, for a learner slice's checkpoint-failure notice that may explain it. */
  static final long CHECKPOINT_NOTICE_GRACE_SECONDS = 5;
  /** Samples at the last statistics row written (the run's samples before this session, at first). */
  private long lastRow;

  public OnlineTraining(Options options, LongSupplier nanoClock) {
    this(options, nanoClock, () -> false);
  }

  /**
   * As {@link #OnlineTraining(Options, LongSupplier)}; when {@code stopRequested} turns true (polled a few times a
   * second, from the run's thread) the session stops admitting examples, lets those in flight finish and stops as at
   * the end of its budget: every learner slice checkpointed (unless {@code finalCheckpoint} is off), progress written.
   */
  public OnlineTraining(Options options, LongSupplier nanoClock, java.util.function.BooleanSupplier stopRequested) {
    this.options = Objects.requireNonNull(options, "options");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
  }

  /**
   * {@code base} with the run's keys set: {@code saliency.run-dir}, the whole {@code saliency.rl} block, and the
   * learner's Adam learning rate and clip norm from {@code s} (the RL settings, learning rate and clip of the run).
   */
  public static Config nodeConfig(Config base, TrainSettings s, Path runDir) {
    return ConfigFactory.empty()
        // the run stops its own actor system; Pekko's JVM hook would tear the learner down under a SIGINT checkpoint
        .withValue("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", ConfigValueFactory.fromAnyRef("off"))
        .withValue("saliency.run-dir", ConfigValueFactory.fromAnyRef(runDir.toAbsolutePath().toString()))
        .withValue("saliency.learner.adam.lr", ConfigValueFactory.fromAnyRef(s.rlPhase().learningRate()))
        .withValue("saliency.learner.clip-norm", ConfigValueFactory.fromAnyRef(s.clipNorm()))
        .withFallback(SaliencySettings.rlConfig(s.rl()))
        .withFallback(base)
        .resolve();
  }

  /** The flat weights saved in the run folder's learner slice checkpoints, if every slice of a full vector is there. */
  public static Optional<float[]> weightsFromSlices(Path runDir, int parameterCount) throws IOException {
    Path dir = runDir.resolve("learner");
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    float[] flat = new float[parameterCount];
    boolean[] covered = new boolean[parameterCount];
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().matches("slice-\\d+\\.ckpt")).sorted().toList();
    }
    for (Path f : files) {
      SliceCheckpoint c = SliceCheckpoint.read(f).orElseThrow();
      if (c.parameterCount() != parameterCount) {
        throw new IOException(f + ": slice of a " + c.parameterCount() + "-parameter policy, this policy has "
            + parameterCount);
      }
      System.arraycopy(c.weights(), 0, flat, c.offset(), c.weights().length);
      java.util.Arrays.fill(covered, c.offset(), c.offset() + c.weights().length, true);
    }
    for (boolean b : covered) {
      if (!b) {
        return Optional.empty();
      }
    }
    return Optional.of(flat);
  }

  /**
   * Runs the session. {@code initial} holds the weights that seed a fresh learner (slices restored from checkpoints
   * keep theirs) and is used, borrowed, for the held-out evaluations; the policy actors get their own networks.
   *
   * @param data the training stream (positioned where the run left off) and the held-out set
   * @param before the run's progress so far ({@link RunProgress#START} for a new run)
   */
  public Result run(TrainingData data, PolicyNetwork initial, RunProgress before, RunReporter reporter,
      Listener listener) throws Exception {
    return run(data, new ExampleEncoder(options.settings()), initial, before, reporter, listener);
  }

  /**
   * As {@link #run(TrainingData, PolicyNetwork, RunProgress, RunReporter, Listener)}, segmenting completions and
   * evaluating with {@code encoder} (one that holds the run's promptable segmenter, for prompt answers).
   */
  public Result run(TrainingData data, ExampleEncoder encoder, PolicyNetwork initial, RunProgress before,
      RunReporter reporter, Listener listener) throws Exception {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(listener, "listener");
    TrainSettings s = options.settings();
    SaliencySettings node = SaliencySettings.fromConfig(options.config());
    float[] start = initial.getFlatWeights();
    PolicyConfig cfg = initial.config();
    ActorSystem<Guardian.Command> system = ActorSystem.create(Guardian.<Prepared>create(node,
        i -> backend(s, options.config(), cfg, start, i, s.seed() * 7919 + i),
        checkpointFailure::complete), "saliency", options.config());
    try {
      return runOn(system, node, data, initial, before, reporter, listener);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * The TensorFlow backend of policy actor {@code index} of a node whose config is {@code config}: a network of
   * {@code cfg} on the node's device, with {@code start} weights (null: its own initial weights, replaced by the
   * learner's slices before it samples), sampling with {@code samplingSeed}.
   */
  public static PolicyBackend<Prepared> backend(TrainSettings s, Config config, PolicyConfig cfg, float[] start,
      int index, long samplingSeed) {
    SaliencySettings node = SaliencySettings.fromConfig(config);
    Algorithm algorithm = s.rl().algorithm();
    boolean head = algorithm.usesConfidence() && s.rl().confidence().equals(HeadConfidence.NAME);
    PolicyNetwork net = PolicyNetwork.create(cfg.withDevice(device(node.policy().device(), index)));
    if (start != null) {
      net.setFlatWeights(start);
    }
    return new TfPolicyBackend(net, new ExampleEncoder(s).tokenizer().vocabulary(),
        new TfPolicyBackend.Settings(s.rlPhase().temperature(), head, samplingSeed, algorithm));
  }

  private static String device(String kind, int index) {
    return kind.equals("gpu") ? "/GPU:" + index : "/CPU:0";
  }

  /**
   * The training graph of a node: sample on {@code policy}, segment with {@code encoder}, reward with the settings'
   * weights, advantage by the node's algorithm (samples recorded in {@code meter}), gradients to {@code learner};
   * segment and reward run on {@code system}'s default dispatcher.
   */
  public static TrainingGraph<Prepared, ModelStages.Segmentation> graph(SaliencySettings node, TrainSettings s,
      PolicyClient<Prepared> policy, LearnerClient learner, ExampleEncoder encoder, RunMeter meter,
      ActorSystem<?> system) {
    Algorithm algorithm = s.rl().algorithm();
    return TrainingGraph.<Prepared, ModelStages.Segmentation>builder(node.pipeline(), algorithm)
        .cpuExecutor(system.executionContext())
        .policy(policy)
        .learner(learner)
        .segmenter(ModelStages.segmenter(encoder))
        .reward(ModelStages.reward(s.rewardWeights()))
        .advantage(ModelStages.advantage(algorithm, meter))
        .build();
  }

  /**
   * The examples of {@code source} admitted into a graph: with a sample budget ({@code samples > 0}) only the prompts
   * that make up that many samples (admission control where examples enter, so nothing in flight overshoots it), made
   * ahead of the sample stage on their own actor so that a sample batch fills while the policy works on the previous.
   */
  public static Source<Prepared, NotUsed> admitted(Iterator<Prepared> source, long samples, SaliencySettings node,
      Algorithm algorithm) {
    int perPrompt = algorithm.completionsPerPrompt();
    Source<Prepared, NotUsed> admitted = IteratorSources.fromIterator(() -> source);
    if (samples > 0) {
      admitted = admitted.take((samples + perPrompt - 1) / perPrompt);
    }
    return admitted.async().buffer(2 * node.pipeline().sampleBatch(), OverflowStrategy.backpressure());
  }

  private Result runOn(ActorSystem<Guardian.Command> system, SaliencySettings node, TrainingData data,
      PolicyNetwork evalNet, RunProgress before, RunReporter reporter, Listener listener) throws Exception {
    Duration timeout = Duration.ofSeconds(60);
    Guardian.Wiring wiring = AskPattern.<Guardian.Command, Guardian.Wiring>ask(system, Guardian.GetWiring::new,
        timeout, system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    int slices = wiring.layout().slices();
    awaitPolicies(system, wiring.policies(), slices, timeout, this::throwIfCheckpointFailed);
    // every slice holds (and has checkpointed) its weights: from here on the run resumes from its slices
    new RunProgress(data.position(), before.samples(), before.seconds()).write(options.runDir());

    TrainSettings s = options.settings();
    Algorithm algorithm = s.rl().algorithm();
    RunMeter meter = new RunMeter();
    lastRow = before.samples();
    TrainingGraph<Prepared, ModelStages.Segmentation> graph = graph(node, s,
        wiring.<Prepared>policyClient(system, node.policy().askTimeout()), wiring.learner(), encoder, meter, system);
    TrackedIterator source = new TrackedIterator(data);
    int perPrompt = algorithm.completionsPerPrompt();
    Pair<UniqueKillSwitch, CompletionStage<SubmitResult>> running =
        graph.build(admitted(source, options.samples(), node, algorithm)).run(system);

    long t0 = nanoClock.getAsLong();
    double lastPosition = 0;
    double lastEval = 0;
    double lastReport = 0;
    long lastSamples = 0;
    boolean finished = false;
    String stoppedBy = "";
    // the loop wakes each report tick and at once when the graph completes or a checkpoint fails; the system's
    // termination cancels the ticks should the loop throw
    Wakeups wakeups = new Wakeups(system, Wakeups.period(options.reportEverySeconds()))
        .on(running.second()).on(checkpointFailure);
    while (!finished) {
      wakeups.await();
      if (checkpointFailure.isDone()) {
        // stop at once: nothing more is trained or written, the slices' last good checkpoints stay
        running.first().abort(new IOException("a learner slice checkpoint could not be written"));
        throwIfCheckpointFailed();
      }
      double t = elapsed(t0);
      long trained = graph.stats().trainedSamples();
      if (running.second().toCompletableFuture().isDone()) {
        stoppedBy = options.samples() > 0 && graph.stats().pulled() * perPrompt >= options.samples() ? "samples"
            : "data";
      } else if (stopRequested.getAsBoolean()) {
        stoppedBy = "stop request";
      } else if (options.seconds() > 0 && t >= options.seconds()) {
        stoppedBy = "seconds";
      }
      finished = !stoppedBy.isEmpty();
      if (t - lastReport >= options.reportEverySeconds() || finished) {
        report(graph, meter, reporter, listener, before, t, (trained - lastSamples) / Math.max(1e-9, t - lastReport),
            slices);
        lastReport = t;
        lastSamples = trained;
      }
      if (t - lastPosition >= options.positionEverySeconds()) {
        progress(before, source, graph, t).write(options.runDir());
        lastPosition = t;
      }
      if (options.evalEverySeconds() > 0 && t - lastEval >= options.evalEverySeconds() && !finished) {
        evalNet.setFlatWeights(gather(wiring, timeout).weights());
        reporter.heldOut(before.samples() + trained, evaluate(evalNet, encoder, data.heldOut(), 1));
        lastEval = t;
      }
    }
    wakeups.close();
    running.first().shutdown();
    try {
      running.second().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // a slice that cannot write its checkpoint stops, and the graph can fail on it before the slice's notice
      // arrives: wait a moment for the notice, so the run ends with the checkpoint error rather than the graph's
      try {
        checkpointFailure.get(CHECKPOINT_NOTICE_GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException none) {
        throw e;
      }
      throwIfCheckpointFailed();
      throw e;
    }
    double seconds = elapsed(t0);
    ShardedLearnerClient.Gathered g = options.finalCheckpoint() ? checkpointAll(wiring, timeout)
        : gather(wiring, timeout);
    RunProgress after = progress(before, source, graph, seconds);
    after.write(options.runDir());
    long swapped = versionReport(system, wiring.policies().get(0), timeout).slicesSwapped();
    return new Result(g.weights(), g.versions(), after, graph.stats().snapshot(), seconds, swapped,
        graph.stats().pulled() * perPrompt, stoppedBy);
  }

  private void report(TrainingGraph<?, ?> graph, RunMeter meter, RunReporter reporter, Listener listener,
      RunProgress before, double t, double rate, int slices) {
    PipelineStats.Snapshot st = graph.stats().snapshot();
    long samples = before.samples() + st.trainedSamples();
    // one row per trained-sample count: a window whose samples are not trained yet joins the next row
    boolean newRow = samples > lastRow;
    RunMeter.Window w = newRow ? meter.drain() : meter.peek();
    long staleGradients = st.slicesStale() / slices;
    Map<String, Double> row = new LinkedHashMap<>();
    row.put("reward", w.reward());
    row.put("iou", w.iou());
    row.put("confidence", w.confidence());
    row.put("samples_per_s", rate);
    row.put("dropped_stale", (double) staleGradients);
    row.put("version", (double) w.version());
    row.put("failures", (double) st.failures());
    row.put("skipped", (double) st.skippedUnits());
    row.putAll(w.rewardByTask());
    if (w.samples() > 0 && newRow) {
      reporter.step(samples, row);
      lastRow = samples;
    }
    listener.progress(new Progress(before.seconds() + t, options.seconds(), samples, options.samples(), rate,
        w.reward(), w.confidence(), staleGradients, w.version(), w.rewardByTask()));
  }

  private RunProgress progress(RunProgress before, TrackedIterator source, TrainingGraph<?, ?> graph, double t) {
    DataPosition p = source.position();
    return new RunProgress(p == null ? before.position() : p, before.samples() + graph.stats().trainedSamples(),
        before.seconds() + t);
  }

  /** Greedy (K = 1) or sampled held-out figures of {@code net} on the first {@code evalImages} held-out examples. */
  EvalResult evaluate(PolicyNetwork net, ExampleEncoder encoder, List<Prepared> heldOut, int samples) {
    List<Prepared> subset = heldOut.subList(0, Math.min(heldOut.size(), Math.max(1, options.evalImages())));
    return new Evaluator(encoder, samples).evaluate(net, subset, 7);
  }

  private double elapsed(long t0) {
    return (nanoClock.getAsLong() - t0) / 1e9;
  }

  private static ShardedLearnerClient.Gathered gather(Guardian.Wiring wiring, Duration timeout) throws Exception {
    return wiring.learner().gather(false).toCompletableFuture().get(2 * timeout.toSeconds(), TimeUnit.SECONDS);
  }

  private ShardedLearnerClient.Gathered checkpointAll(Guardian.Wiring wiring, Duration timeout) throws Exception {
    return await(wiring.learner().gather(true).toCompletableFuture(), timeout.multipliedBy(2));
  }

  /**
   * Fails with one clear message, naming the slice, its file, the cause and how to go on, once a learner slice could
   * not write its checkpoint.
   */
  private void throwIfCheckpointFailed() throws IOException {
    LearnerShard.CheckpointFailed f = checkpointFailure.getNow(null);
    if (f != null) {
      throw new IOException("learner slice " + f.sliceIndex() + " cannot write its checkpoint " + f.file() + " ("
          + f.reason() + "): the run stopped with its last good checkpoints; continue with train --resume "
          + options.runDir() + " once the folder can be written");
    }
  }

  /** The answer of a slice, or the checkpoint failure that means none will come; at most {@code timeout}. */
  private <T> T await(CompletableFuture<T> answer, Duration timeout) throws Exception {
    try {
      CompletableFuture.anyOf(answer, checkpointFailure).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException failed) {
      // the answer failed: answer.get() below throws its failure
    }
    throwIfCheckpointFailed();
    return answer.get();
  }

  private static PolicyActor.VersionReport versionReport(ActorSystem<?> system, ActorRef<PolicyActor.Command> p,
      Duration timeout) throws Exception {
    return AskPattern.<PolicyActor.Command, PolicyActor.VersionReport>ask(p, PolicyActor.GetVersion::new, timeout,
        system.scheduler()).toCompletableFuture().get(timeout.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Waits until every policy actor holds every learner slice (so no sample is drawn from unpublished weights), or
   * until {@code failed} throws.
   */
  public static void awaitPolicies(ActorSystem<?> system, List<ActorRef<PolicyActor.Command>> policies, int slices,
      Duration timeout, FailureCheck failed) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ActorRef<PolicyActor.Command> p : policies) {
      // the policy's version report every 20 ms until it holds every slice, a check fails or the time is up
      Duration left = Duration.ofNanos(Math.max(20_000_000L, deadline - System.nanoTime()));
      CompletionStage<Optional<PolicyActor.VersionReport>> holdsAll = Source.tick(Duration.ZERO,
              Duration.ofMillis(20), NotUsed.getInstance())
          .mapAsync(1, tick -> AskPattern.<PolicyActor.Command, PolicyActor.VersionReport>ask(p,
              PolicyActor.GetVersion::new, timeout, system.scheduler()))
          .map(r -> {
            if (r.slicesSwapped() < slices) {
              failed.check();
            }
            return r;
          })
          .filter(r -> r.slicesSwapped() >= slices)
          .takeWithin(left)
          .runWith(Sink.headOption(), system);
      Optional<PolicyActor.VersionReport> done;
      try {
        done = holdsAll.toCompletableFuture().get(left.plus(timeout).toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
      if (done.isEmpty()) {
        throw new IllegalStateException("policy " + p.path().name() + " did not receive all " + slices
            + " learner slices within " + timeout);
      }
    }
  }

  /** Throws when the run must stop (a failed checkpoint). */
  @FunctionalInterface
  public interface FailureCheck {
    void check() throws IOException;
  }

  /** The training iterator, remembering the data position after each example it hands out. */
  private static final class TrackedIterator implements Iterator<Prepared> {
    private final TrainingData data;
    private volatile DataPosition position;

    TrackedIterator(TrainingData data) {
      this.data = data;
    }

    @Override
    public boolean hasNext() {
      return data.train().hasNext();
    }

    @Override
    public Prepared next() {
      Prepared p = data.train().next();
      position = data.position();
      return p;
    }

    DataPosition position() {
      return position;
    }
  }
}
