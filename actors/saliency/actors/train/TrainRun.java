package saliency.actors.train;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import saliency.actors.learner.SliceCheckpoint;
import saliency.model.data.Augmentation;
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.policy.PolicyNetwork;
import saliency.model.report.RunReporter;
import saliency.model.segment.PromptSegmenter;
import saliency.model.segment.SegmenterCheckpoint;
import saliency.model.text.ParseResult;
import saliency.model.text.Vocabulary;
import saliency.model.train.EvalResult;
import saliency.model.train.Evaluator;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.PolicyTrainer;
import saliency.model.train.Prepared;
import saliency.model.train.RunFolder;
import saliency.model.train.SegmenterTrainer;
import saliency.model.train.TrainSettings;
import saliency.model.train.TaskFile;
import saliency.model.train.TaskMix;
import saliency.model.train.TrainingData;

/**
 * A whole training run into a run folder: a new run does the SFT warm start in-process and evaluates it, then RL
 * through the pipeline ({@link OnlineTraining}), a final evaluation, the report files and {@code policy.ckpt}; a resumed
 * run restores settings, weights (learner slice checkpoints) and data position from the folder and skips SFT (one
 * that stopped before its RL was under way trains again from the start with its recorded settings). Stateless; {@link #run} owns everything it opens.
 */
public final class TrainRun {
  /** Held-out images drawn in {@code heldout-grid.png}. */
  public static final int GRID_IMAGES = 16;

  /**
   * What to run.
   *
   * @param data DUTS-layout folder, or null for the built-in synthetic scenes; on resume null means the data the run
   *     folder records, and any other folder than that is refused
   * @param settings the run's settings (on resume only its intra-op threads are used: the rest comes from the
   *     folder's {@code settings.properties})
   * @param runDir the run folder
   * @param resume continue the run in {@code runDir}
   * @param seconds RL wall-clock budget of this session (0: none)
   * @param samples RL trained-sample budget of this session (0: none)
   * @param evalEverySeconds period of the held-out greedy IoU during RL (0: none)
   * @param baseConfig the node config before the run's keys are set (usually {@code ConfigFactory.load()})
   * @param finalCheckpoint checkpoint the learner slices on stop (false simulates a crash, for tests)
   * @param totalSeconds when positive, the wall clock of the whole new run (segmenter, SFT and RL together; see
   *     {@link #schedule}); {@code seconds} is then ignored on a new run
   * @param sftOnly no RL phase: SFT may take everything the segmenter leaves (the control of equal compute); needs a
   *     positive {@code totalSeconds}
   * @param augment augmented views of a folder's training images (ignored on synthetic scenes; on resume the run
   *     folder's record is used)
   * @param tasks the tasks the training stream mixes ({@link TaskMix}; on resume the run folder's record is used)
   */
  public record Request(Path data, TrainSettings settings, Path runDir, boolean resume, double seconds, long samples,
      double evalEverySeconds, Config baseConfig, boolean finalCheckpoint, double totalSeconds, boolean sftOnly,
      Augmentation.Settings augment, TaskMix tasks) {
    /** A request that trains SOD alone. */
    public Request(Path data, TrainSettings settings, Path runDir, boolean resume, double seconds, long samples,
        double evalEverySeconds, Config baseConfig, boolean finalCheckpoint, double totalSeconds, boolean sftOnly,
        Augmentation.Settings augment) {
      this(data, settings, runDir, resume, seconds, samples, evalEverySeconds, baseConfig, finalCheckpoint,
          totalSeconds, sftOnly, augment, TaskMix.sod());
    }

    /** A request whose budgets are per phase (settings' SFT seconds, {@code seconds} of RL), without augmentation. */
    public Request(Path data, TrainSettings settings, Path runDir, boolean resume, double seconds, long samples,
        double evalEverySeconds, Config baseConfig, boolean finalCheckpoint) {
      this(data, settings, runDir, resume, seconds, samples, evalEverySeconds, baseConfig, finalCheckpoint, 0, false,
          Augmentation.Settings.off());
    }

    public Request {
      if (sftOnly && (resume || !(totalSeconds > 0))) {
        throw new IllegalArgumentException("an SFT-only run needs a total budget and cannot be a resume");
      }
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(runDir, "runDir");
      Objects.requireNonNull(baseConfig, "baseConfig");
      Objects.requireNonNull(augment, "augment");
      Objects.requireNonNull(tasks, "tasks");
    }
  }

  /**
   * Held-out figures after SFT (null on resume) and after RL (null when a stop request ended RL), and the RL session's
   * result (both null: SFT only, or stopped before RL).
   */
  public record Outcome(TrainSettings settings, EvalResult afterSft, EvalResult afterRl, OnlineTraining.Result rl) {}

  /** The run folder's list of the dataset's skipped files (name, kind, file, reason). */
  public static final String SKIPPED_CSV = "skipped.csv";

  /** Share of a folder dataset's training split set aside to choose when SFT stops. */
  public static final double VALIDATION_SHARE = 0.1;
  /** Seconds between validation scores during SFT, and scores in a row without a gain before SFT stops. */
  public static final double VALIDATION_EVERY_SECONDS = 15;
  public static final int VALIDATION_PATIENCE = 4;
  /** Segmenter training of a run without a total budget (prompt answers). */
  public static final double DEFAULT_SEGMENTER_SECONDS = 60;

  /**
   * The phase budgets of a new run in seconds: {@code segmenter} (prompt answers only), {@code sft} (the most SFT may
   * take; validation may stop it sooner) and {@code rl} (without a total: a fixed budget; with one: whatever the other
   * phases leave, see {@link #rlSeconds}).
   */
  public record Schedule(double segmenter, double sft, double rl) {}

  /**
   * Share of a total budget the promptable segmenter may take (validation may stop it sooner). On duts-tr-500 its
   * held-out figures with ground-truth prompts went from S-measure 0.879 / MAE 0.081 after 60 s to 0.899 / 0.068 after
   * 240 s, while SFT's best validation weights came within its first 60-110 s.
   */
  public static final double SEGMENTER_SHARE = 0.4;
  /** Seconds between the segmenter's validation scores, and scores in a row without a gain before it stops. */
  public static final double SEGMENTER_VALIDATION_SECONDS = 30;
  public static final int SEGMENTER_PATIENCE = 3;

  /**
   * The budgets for {@code s}: with {@code totalSeconds > 0} the segmenter gets {@link #SEGMENTER_SHARE} of it, SFT
   * the settings' SFT seconds but never more than leaves 30 s, RL the rest (SFT-only: SFT all of the rest); without a
   * total, 60 s of segmenter, the settings' SFT seconds and {@code rlSeconds}.
   */
  public static Schedule schedule(TrainSettings s, double totalSeconds, double rlSeconds, boolean sftOnly) {
    if (totalSeconds <= 0) {
      return new Schedule(s.promptAnswers() ? DEFAULT_SEGMENTER_SECONDS : 0, s.sft().seconds(), rlSeconds);
    }
    double seg = s.promptAnswers() ? SEGMENTER_SHARE * totalSeconds : 0;
    if (sftOnly) {
      return new Schedule(seg, totalSeconds - seg, 0);
    }
    double sft = Math.max(0, Math.min(s.sft().seconds(), totalSeconds - seg - 30));
    return new Schedule(seg, sft, totalSeconds - seg - sft);
  }

  private TrainRun() {}

  public static Outcome run(Request r, LongSupplier clock, PolicyTrainer.Listener sftListener,
      OnlineTraining.Listener rlListener, Consumer<String> log) throws Exception {
    return run(r, clock, sftListener, rlListener, log, new StopSignal());
  }

  /**
   * As {@link #run(Request, LongSupplier, PolicyTrainer.Listener, OnlineTraining.Listener, Consumer)}; a request on
   * {@code stop} during RL ends the session early: learner slices checkpointed, {@code policy.ckpt} written (no final
   * evaluation), and a line saying where. The caller calls {@link StopSignal#finish} when this returns or throws.
   */
  public static Outcome run(Request r, LongSupplier clock, PolicyTrainer.Listener sftListener,
      OnlineTraining.Listener rlListener, Consumer<String> log, StopSignal stop) throws Exception {
    return run(r, clock, sftListener, rlListener, log, stop, RlSession.LOCAL);
  }

  /**
   * As {@link #run(Request, LongSupplier, PolicyTrainer.Listener, OnlineTraining.Listener, Consumer, StopSignal)},
   * with the RL session carried out by {@code session} (a cluster's nodes, for instance).
   */
  public static Outcome run(Request r, LongSupplier clock, PolicyTrainer.Listener sftListener,
      OnlineTraining.Listener rlListener, Consumer<String> log, StopSignal stop, RlSession session) throws Exception {
    Objects.requireNonNull(stop, "stop");
    Objects.requireNonNull(session, "session");
    RunFolder folder = new RunFolder(r.runDir());
    TrainSettings s;
    RunProgress before;
    Path data = r.data();
    Augmentation.Settings augment = r.augment();
    boolean resumed = r.resume();
    TaskMix tasks = r.resume() ? TaskFile.read(r.runDir()) : r.tasks();
    if (r.resume()) {
      s = folder.readSettings().withThreads(r.settings().intraOpThreads());
      augment = folder.readAugment();
      data = resumeData(folder, r.data());
      java.util.Optional<RunProgress> recorded = RunProgress.read(r.runDir());
      before = recorded.orElse(RunProgress.START);
      if (recorded.isEmpty()) {
        resumed = false;
        startOver(folder);
        log.accept(r.runDir() + " stopped before RL was under way (no " + RunProgress.FILE + "): training it again "
            + "from the start with its recorded settings");
      }
      if (folder.readData().isEmpty()) {
        log.accept("note: " + folder.settingsFile() + " does not record the run's data (written by an older "
            + "version); resuming on " + (data == null ? "synthetic scenes" : data));
      }
    } else {
      checkNewRunFolder(r.runDir());
      s = r.settings().forTasks(tasks);
      before = RunProgress.START;
    }
    long runStart = clock.getAsLong();
    Schedule plan = schedule(s, r.totalSeconds(), r.seconds(), r.sftOnly());
    try (PolicyNetwork net = PolicyNetwork.create(s.policyConfig());
        PromptSegmenter segmenter = s.promptAnswers()
            ? PromptSegmenter.create(s.seed(), Math.max(2, s.intraOpThreads())) : null) {
      PolicyTrainer trainer = new PolicyTrainer(s, net, clock, sftListener);
      ExampleEncoder encoder = trainer.encoder();
      TrainingData td = data == null
          ? TrainingData.synthetic(encoder, s.seed(), s.eval().images(), before.position(), tasks)
          : TrainingData.directory(encoder, data, s.seed(), s.eval().images(), before.position(), VALIDATION_SHARE,
              augment).asTask(TaskFile.folderTask(tasks, data));
      log.accept("data: " + td.description());
      if (data != null) {
        log.accept("views: " + td.views().summary());
      }
      if (td.report() != null && !td.report().skips().isEmpty()) {
        Path skipped = r.runDir().resolve(SKIPPED_CSV);
        Files.createDirectories(r.runDir());
        Files.writeString(skipped, td.report().skipsCsv());
        log.accept("skipped files: " + td.report().skips().size() + ", listed in " + skipped);
      }
      if (td.heldOut().isEmpty()) {
        log.accept("no held-out images: the held-out figures of this run are NaN (the folder is too small to split)");
      }
      TrainSettings.Sizes z = s.sizes();
      log.accept("policy: " + net.parameterCount() + " parameters, " + z.imageSize() + "x" + z.imageSize() + " input, "
          + z.bins() + " bins, " + s.encoding().encoder() + " encoder, " + s.encoding().answer() + " answers"
          + (s.encoding().groupContext() > 0 ? ", group context of " + s.encoding().groupContext() + " images" : ""));
      if (!r.resume()) {
        folder.writeSettings(s, data, augment);
        TaskFile.write(r.runDir(), tasks);
      }
      if (segmenter != null) {
        if (resumed) {
          SegmenterCheckpoint.load(folder.segmenterFile(), segmenter);
        } else {
          trainSegmenter(segmenter, encoder, td, plan.segmenter(), s.seed(), clock, sftListener, folder, log);
        }
        encoder = encoder.withSegmenter(segmenter);
      }
      Evaluator eval = new Evaluator(encoder, s.eval().samples());
      EvalResult afterSft = null;
      // a run trained again from the start keeps no row of the session that stopped (samples -1)
      try (RunReporter reporter = r.resume() ? RunReporter.resumed(r.runDir(), clock, resumed ? before.samples() : -1)
          : new RunReporter(r.runDir(), clock)) {
        if (resumed) {
          float[] w = OnlineTraining.weightsFromSlices(r.runDir(), net.parameterCount())
              .orElseGet(() -> fromPolicyFile(folder, net));
          net.setFlatWeights(w);
          log.accept("resumed " + r.runDir() + " at " + before.samples() + " samples, data position "
              + before.position());
        } else {
          if (!td.validation().isEmpty()) {
            Evaluator val = new Evaluator(encoder, 1);
            List<Prepared> valSet = td.validation();
            // the SFT-only control spends its whole budget (equal compute), keeping its best weights all the same
            trainer.withValidation(new PolicyTrainer.Validation(n -> val.evaluate(n, valSet, 11).sMeasure(),
                VALIDATION_EVERY_SECONDS, r.sftOnly() ? Integer.MAX_VALUE : VALIDATION_PATIENCE));
          }
          PolicyTrainer.PhaseResult sft = trainer.sft(td.train(), plan.sft());
          afterSft = eval.evaluate(net, td.heldOut(), 7);
          TaskHeldOut.report("held-out after SFT", tasks, encoder, s, net, td.heldOut(), reporter, 0, log);
          Double best = sft.last().get("validation_best");
          log.accept(String.format(java.util.Locale.ROOT, "sft: %d steps, %d samples, %.1f s%s%n  held-out after SFT: %s",
              sft.steps(), sft.samples(), sft.seconds(), best == null ? "" : String.format(java.util.Locale.ROOT,
                  ", best validation S-measure %.3f at step %.0f (kept)", best,
                  sft.last().get("validation_best_step")), afterSft));
          reporter.heldOut(0, afterSft);
        }
        List<Prepared> shown = td.heldOut().subList(0, Math.min(GRID_IMAGES, td.heldOut().size()));
        if (r.sftOnly()) {
          reporter.grid(shown, greedyAnswers(net, encoder, shown));
          PolicyCheckpoint.of(net, null).save(folder.policyFile());
          logViews(td, log);
          log.accept(String.format(java.util.Locale.ROOT, "sft-only run: %.0f s of the %.0f s run, no RL",
              (clock.getAsLong() - runStart) / 1e9, r.totalSeconds()));
          return new Outcome(s, afterSft, null, null);
        }
        double rlSeconds = r.seconds();
        if (!r.resume() && r.totalSeconds() > 0) {
          rlSeconds = Math.max(1, r.totalSeconds() - (clock.getAsLong() - runStart) / 1e9);
          log.accept(String.format(java.util.Locale.ROOT, "rl: %.0f s left of the %.0f s run", rlSeconds,
              r.totalSeconds()));
        }
        if (!stop.enterRl()) {
          log.accept("stopped (" + stop.reason() + ") before RL");
          return new Outcome(s, afterSft, null, null);
        }
        Config node = OnlineTraining.nodeConfig(r.baseConfig(), s, r.runDir());
        OnlineTraining.Options options = new OnlineTraining.Options(node, s, r.runDir(), rlSeconds, r.samples(), 1.0,
            5.0, r.evalEverySeconds(), Math.min(64, Math.max(1, td.heldOut().size())), r.finalCheckpoint());
        OnlineTraining.Result rl = session.run(options, clock, stop::requested, td, encoder, net, before, reporter,
            rlListener);

        net.setFlatWeights(rl.weights());
        net.setVersion(Arrays.stream(rl.versions()).min().orElse(0));
        if (stop.requested()) {
          PolicyCheckpoint.of(net, null).save(folder.policyFile());
          log.accept(String.format(java.util.Locale.ROOT, "stopped (%s) after %d samples: %d learner slices "
                  + "checkpointed in %s, weights in %s; continue with train --resume %s", stop.reason(),
              rl.progress().samples(), rl.versions().length, SliceCheckpoint.file(r.runDir(), 0).getParent(),
              folder.policyFile(), r.runDir()));
          return new Outcome(s, afterSft, null, rl);
        }
        logViews(td, log);
        EvalResult afterRl = eval.evaluate(net, td.heldOut(), 7);
        reporter.heldOut(rl.progress().samples(), afterRl);
        TaskHeldOut.report("held-out after RL", tasks, encoder, s, net, td.heldOut(), reporter,
            rl.progress().samples(), log);
        reporter.grid(shown, greedyAnswers(net, encoder, shown));
        PolicyCheckpoint.of(net, null).save(folder.policyFile());
        return new Outcome(s, afterSft, afterRl, rl);
      }
    }
  }

  /**
   * Fails, naming the folder, unless {@code dir} may take a new run: absent, empty, or a run folder of this program
   * ({@code settings.properties}) that stopped before RL: no learner checkpoints or {@code progress.properties} (a
   * running or finished run, to resume) and no {@code policy.ckpt} (a finished SFT-only run).
   */
  static void checkNewRunFolder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a folder; give a new or empty folder for the run");
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      if (files.findAny().isEmpty()) {
        return;
      }
    }
    RunFolder folder = new RunFolder(dir);
    if (!Files.isRegularFile(folder.settingsFile())) {
      throw new IOException(dir + " is not empty and is not a run folder (no " + RunFolder.SETTINGS
          + "); give a new or empty folder for the run");
    }
    Path learner = SliceCheckpoint.file(dir, 0).getParent();
    boolean slices = false;
    if (Files.isDirectory(learner)) {
      try (java.util.stream.Stream<Path> files = Files.list(learner)) {
        slices = files.anyMatch(f -> f.getFileName().toString().matches("slice-\\d+\\.ckpt"));
      }
    }
    if (slices || Files.exists(dir.resolve(RunProgress.FILE))) {
      throw new IOException(dir + " already holds a run (" + (slices ? "learner checkpoints" : RunProgress.FILE)
          + "); continue it with --resume " + dir + " or give a new folder");
    }
    if (Files.exists(folder.policyFile())) {
      throw new IOException(dir + " already holds a finished run (" + RunFolder.POLICY + "); give a new folder");
    }
  }

  /**
   * Clears what a run that stopped before RL was under way left of its RL start (learner slice checkpoints seeded with
   * weights its SFT no longer gives), so that it trains again from the start; refuses a finished SFT-only run
   * ({@code policy.ckpt} without RL progress), which has nothing to resume.
   */
  static void startOver(RunFolder folder) throws IOException {
    if (Files.exists(folder.policyFile())) {
      throw new IOException(folder.dir() + " holds a finished run without RL (" + RunFolder.POLICY + ", no "
          + RunProgress.FILE + "): nothing to resume; give a new folder");
    }
    Path learner = SliceCheckpoint.file(folder.dir(), 0).getParent();
    if (Files.isDirectory(learner)) {
      List<Path> stale;
      try (java.util.stream.Stream<Path> files = Files.list(learner)) {
        stale = files.filter(f -> f.getFileName().toString().matches("slice-\\d+\\.ckpt(\\.tmp)?")).toList();
      }
      for (Path f : stale) {
        Files.delete(f);
      }
    }
  }

  /**
   * The data of a resumed run: the source its folder records (null: synthetic scenes) when {@code given} is null or
   * names the same folder; {@code given} as it is for a folder written before the source was recorded. Refuses, naming
   * {@code --data} and both sources, a {@code given} that differs from the recorded one.
   */
  static Path resumeData(RunFolder folder, Path given) throws IOException {
    java.util.Optional<String> recorded = folder.readData();
    if (recorded.isEmpty()) {
      return given;
    }
    String rec = recorded.get();
    boolean synthetic = rec.equals(RunFolder.SYNTHETIC);
    if (given == null) {
      return synthetic ? null : Path.of(rec);
    }
    if (!synthetic && sameFolder(Path.of(rec), given)) {
      return Path.of(rec);
    }
    throw new IOException("--data " + given + " is not the data of the run in " + folder.dir() + " ("
        + (synthetic ? "synthetic scenes" : rec) + "); resume without --data");
  }

  private static boolean sameFolder(Path a, Path b) {
    if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
      return true;
    }
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** How often the run's training draws took an augmented view, when it has any. */
  private static void logViews(TrainingData td, Consumer<String> log) {
    if (td.views().size() > 0) {
      log.accept("views at the end: " + td.views().summary());
    }
  }

  /** Trains the promptable segmenter on the run's training examples, saves it and logs its held-out figures. */
  private static void trainSegmenter(PromptSegmenter segmenter, ExampleEncoder encoder, TrainingData td,
      double seconds, long seed,
      LongSupplier clock, PolicyTrainer.Listener listener, RunFolder folder, Consumer<String> log) throws IOException {
    List<Prepared> examples = td.trainExamples();
    if (examples.isEmpty()) { // the synthetic stream: a fixed draw of scenes
      List<Prepared> drawn = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        drawn.add(td.train().next());
      }
      examples = drawn;
    }
    SegmenterTrainer trainer = new SegmenterTrainer(segmenter, SegmenterTrainer.Settings.defaults(seed), clock,
        listener);
    List<Prepared> val = td.validation();
    if (!val.isEmpty()) { // a fresh encoder per score: its cache of per-image bases belongs to the current weights
      trainer.withValidation(() -> SegmenterTrainer.evaluate(encoder.withSegmenter(segmenter), val, true).sMeasure(),
          SEGMENTER_VALIDATION_SECONDS, SEGMENTER_PATIENCE);
    }
    SegmenterTrainer.Result sr = trainer.train(examples, td.views(), seconds, 0);
    SegmenterCheckpoint.save(segmenter, folder.segmenterFile());
    log.accept(String.format(java.util.Locale.ROOT, "segmenter: %d steps, %d samples, %.1f s, loss %.4f%s; saved %s",
        sr.steps(), sr.samples(), sr.seconds(), sr.lastLoss(), Double.isNaN(sr.validationBest()) ? ""
            : String.format(java.util.Locale.ROOT, ", best validation S-measure %.3f (ground-truth prompts) at step "
                + "%d (kept)", sr.validationBest(), sr.keptStep()), folder.segmenterFile()));
  }

  private static float[] fromPolicyFile(RunFolder folder, PolicyNetwork net) {
    try {
      return PolicyCheckpoint.load(folder.policyFile()).weights();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(folder.dir() + ": no learner slice checkpoints and no readable "
          + RunFolder.POLICY, e);
    }
  }

  /** The policy's greedy answer for each example. */
  public static List<ParseResult> greedyAnswers(PolicyNetwork net, ExampleEncoder encoder, List<Prepared> examples) {
    List<ParseResult> out = new ArrayList<>(examples.size());
    if (examples.isEmpty()) {
      return out;
    }
    int n = examples.size();
    int[] prompts = new int[n];
    Arrays.fill(prompts, Vocabulary.SOD);
    PolicyNetwork.Samples g = net.sample(ExampleEncoder.stack(examples), n, prompts, 1.0, true, 7);
    for (int[] t : g.tokens()) {
      out.add(encoder.decode(t));
    }
    return out;
  }
}
