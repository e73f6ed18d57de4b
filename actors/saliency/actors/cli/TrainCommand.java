package saliency.actors.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import com.typesafe.config.ConfigFactory;
import picocli.CommandLine;
import saliency.actors.cluster.ClusterTraining;
import saliency.actors.cluster.NodeConfig;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.train.OnlineTraining;
import saliency.actors.train.RlSession;
import saliency.actors.train.StopSignal;
import saliency.actors.train.TrainRun;
import saliency.model.data.Augmentation;
import saliency.model.policy.PolicyConfig;
import saliency.model.reward.RewardWeights;
import saliency.model.rl.AlgorithmName;
import saliency.model.rl.RlSettings;
import saliency.model.train.PolicyTrainer;
import saliency.model.train.RunFolder;
import saliency.model.train.TaskFile;
import saliency.model.train.TaskMix;
import saliency.model.train.TrainSettings;
import saliency.streams.PipelineStats;

/**
 * {@code train}: SFT warm start in-process, then RL through the streams-and-actors pipeline, on synthetic scenes or a
 * DUTS-layout folder, into a run folder; or {@code --resume} a run folder. Holds only its options.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a policy: SFT on ground-truth polygons, then online RL (CGPO by default) through the "
        + "pipeline (policy actors, sharded learner); writes a run folder with checkpoints, metrics and plots.")
final class TrainCommand implements Callable<Integer> {
  /** Longest wait of the shutdown hook (Ctrl-C) for the run to checkpoint and write {@code policy.ckpt}. */
  static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(60);

  @Spec
  CommandSpec spec;

  @Option(names = "--data", description = "DUTS-layout folder (images/, masks/); default: built-in synthetic scenes")
  Path data;

  @Option(names = "--algo", description = "cgpo | grpo | gspo | reinforce++ (default saliency.rl.algo: cgpo)")
  String algo;

  @Option(names = "--confidence",
      description = "CGPO confidence: seqprob | calibrated | head (default saliency.rl.confidence: calibrated)")
  String confidence;

  @Option(names = "--sft-seconds", description = "SFT wall-clock budget (default 150)")
  Double sftSeconds;

  @Option(names = "--minutes", description = "wall clock of the whole run in minutes: segmenter (prompt answers), SFT "
      + "(up to half, less when validation stops it) and RL (the rest); without it: SFT --sft-seconds, then 1.5 "
      + "minutes of RL unless --samples is given. On --resume: RL minutes of this session")
  Double minutes;

  @Option(names = "--samples", description = "RL budget in trained samples (stops at whichever budget comes first)")
  Long samples;

  @Option(names = "--eval-every", defaultValue = "60", description = "seconds between held-out IoU checks during RL (0 = none; default ${DEFAULT-VALUE})")
  double evalEvery;

  @Option(names = "--eval-images", description = "held-out images evaluated (default 200; 0 = whole split for --data)")
  Integer evalImages;

  @Option(names = "--threads", defaultValue = "1", description = "TensorFlow intra-op threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--seed", defaultValue = "1", description = "seed of weights, data order and sampling")
  long seed;

  @Option(names = "--sft-lr", description = "SFT learning rate (default 3e-3)")
  Double sftLr;

  @Option(names = "--rl-lr", description = "RL learning rate of the learner slices (default 5e-5)")
  Double rlLr;

  @Option(names = "--out", description = "run folder to create (default runs/train-<time>)")
  Path out;

  @Option(names = "--resume", description = "run folder to continue: restores learner slices, weights and data position "
      + "and trains on the data the run records; skips SFT. Setting options that differ from the run's are refused; "
      + "--minutes, --samples, --eval-every and --threads apply to the resumed session")
  Path resume;

  @Option(names = "--sft-only", description = "no RL: SFT takes the whole --minutes budget (the control of equal "
      + "compute for an RL run)")
  boolean sftOnly;

  @Option(names = "--encoder", description = "conv | mobilenet_v2 (default mobilenet_v2 with --data, conv on "
      + "synthetic scenes)")
  String encoder;

  @Option(names = "--answer", description = "polygon | prompt: <rg> polygons, or Seg-R1 box and point prompts "
      + "through a promptable segmenter trained at the start of the run (default prompt with --data, polygon on "
      + "synthetic scenes)")
  String answer;

  @Option(names = "--augment-views", description = "augmented views made per training image with --data (crops and "
      + "copy-paste composites, mirrored and colour-jittered, their features held in memory); 0 turns augmentation "
      + "off (default 0; 2 is the measured setting)")
  Integer augmentViews;

  @Option(names = "--augment-share", description = "share of training draws that take a view instead of the plain "
      + "image (default 0.5)")
  Double augmentShare;

  @Option(names = "--copy-paste", description = "share of the views that paste the image's object onto another "
      + "image's object-free background; the rest are crops (default 0)")
  Double copyPaste;

  @Option(names = "--tasks", description = "tasks the training stream mixes, TASK:SHARE[,TASK:SHARE...] with shares "
      + "summing to 1 (sod, sis, cod, cosod; e.g. sod:0.5,sis:0.2,cod:0.3, or sis alone): each prompt's task is drawn, "
      + "seeded, in those shares; reward per task on the progress line and in metrics.csv, held-out figures per task "
      + "(default sod; with --data one region task, sod or cod). cosod prompts are images of synthetic groups and the "
      + "policy then reads a group context of " + TrainSettings.COSOD_GROUP + " images per prompt")
  String tasks;

  @Option(names = "--cluster", description = "run RL over a cluster of node processes (node --seeds ...): this "
      + "process joins it as the driver (role driver), does SFT, seeds the learner slices, and every policy node "
      + "trains on its own part of the data; needs --seeds")
  boolean cluster;

  @Option(names = "--seeds", split = ",", paramLabel = "HOST:PORT", description = "with --cluster: the cluster's seed "
      + "nodes, as the nodes list them")
  List<String> seeds;

  @Option(names = "--nodes", defaultValue = "1", description = "with --cluster: worker nodes (the driver not counted) "
      + "that must be up before RL starts, among them at least one of role learner and one of role policy (default "
      + "${DEFAULT-VALUE}); every worker up at that moment takes part")
  int nodes;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "with --cluster: the driver's address, reachable "
      + "from the nodes (default ${DEFAULT-VALUE}: loopback)")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "with --cluster: the driver's Artery port (default "
      + "${DEFAULT-VALUE}: any free port)")
  int port;

  @Option(names = "--tls", paramLabel = "KEYSTORE", description = "with --cluster: Artery over TLS with this PKCS12 "
      + "key store, as the nodes' node --tls; its password in the environment variable " + NodeConfig.TLS_PASSWORD_ENV)
  java.nio.file.Path tls;

  @Option(names = "--join-timeout", defaultValue = "120", description = "with --cluster: seconds to wait for the "
      + "nodes (default ${DEFAULT-VALUE})")
  double joinTimeout;

  @Override
  public Integer call() throws Exception {
    if (resume != null && out != null) {
      throw new CommandLine.ParameterException(cli(), "give either --out or --resume, not both");
    }
    validate();
    TrainSettings defaults = TrainSettings.defaults().withRl(rlSettings(ConfigFactory.load()));
    boolean total = minutes != null && resume == null;
    double rlSeconds = minutes != null ? minutes * 60 : (samples != null ? 0 : defaults.rlPhase().seconds());
    TrainSettings s = resume != null ? resumeSettings() : newSettings(defaults, total, rlSeconds);
    Path dir = resume != null ? resume : out != null ? out : Path.of("runs", "train-" + System.currentTimeMillis() / 1000);
    return train(s, dir, total, rlSeconds);
  }

  /** The settings of a new run from the options and the defaults (the encoder and answer defaults follow --data). */
  private TrainSettings newSettings(TrainSettings defaults, boolean total, double rlSeconds) {
    double sft = sftSeconds != null ? sftSeconds : total ? minutes * 60 / 2 : defaults.sft().seconds();
    String enc = encoder != null ? encoder : data != null ? PolicyConfig.MOBILENET_V2 : PolicyConfig.CONV;
    String ans = answer != null ? answer
        : data != null && enc.equals(PolicyConfig.MOBILENET_V2) ? TrainSettings.PROMPT : TrainSettings.POLYGON;
    if (!ans.equals(TrainSettings.PROMPT) && !ans.equals(TrainSettings.POLYGON)) {
      throw new CommandLine.ParameterException(cli(),
          "--answer must be polygon or prompt, got '" + ans + "'");
    }
    TrainSettings.Sft sftPhase = defaults.sft().withSeconds(sft);
    TrainSettings.RlPhase rlPhase = defaults.rlPhase().withSeconds(total ? 0 : rlSeconds);
    TrainSettings s = defaults
        .withSft(sftLr != null ? sftPhase.withLearningRate(sftLr) : sftPhase)
        .withRlPhase(rlLr != null ? rlPhase.withLearningRate(rlLr) : rlPhase)
        .withRl(defaults.rl().withAlgo(algo != null ? AlgorithmName.parse(algo) : defaults.rl().algo(),
            confidence != null ? confidence : defaults.rl().confidence()))
        .withSeed(seed)
        .withThreads(threads)
        .withEval(new TrainSettings.Eval(evalImages != null ? evalImages : defaults.eval().images(),
            defaults.eval().samples()))
        .withEncoding(new TrainSettings.Encoding(enc, defaults.encoding().featureMap(), ans));
    // prompt answers: Seg-R1's format + 0.7 IoU + 0.3 S-measure, scaled to [0, 1]: the confidence estimators predict
    // in [0, 1]
    return ans.equals(TrainSettings.PROMPT) ? s.withRewardWeights(RewardWeights.segR1().normalized()) : s;
  }

  private Integer train(TrainSettings s, Path dir, boolean total, double rlSeconds) throws Exception {
    if (cluster && s.promptAnswers()) {
      throw new CommandLine.ParameterException(cli(), "--cluster trains polygon answers only (prompt answers need "
          + "the run's segmenter on every node, not built yet): add --answer polygon");
    }
    TrainRun.Request request = new TrainRun.Request(data, s, dir, resume != null, total ? 0 : rlSeconds,
        samples != null ? samples : 0, evalEvery, cluster ? clusterConfig() : ConfigFactory.load(), true,
        total ? minutes * 60 : 0, sftOnly, augment(), taskMix());
    StopSignal stop = new StopSignal();
    Thread hook = new Thread(() -> stopOnShutdown(stop), "train-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (RlBar bar = new RlBar()) {
      java.util.function.Consumer<String> say = line -> {
        BarListener.close();
        System.out.println(line);
      };
      TrainRun.Outcome o = TrainRun.run(request, System::nanoTime, new BarListener(), bar, say, stop,
          cluster ? new ClusterTraining(nodes, java.time.Duration.ofMillis((long) (joinTimeout * 1000)), say)
              : RlSession.LOCAL);
      bar.close();
      BarListener.close();
      if (o.rl() == null) {
        System.out.println("run folder: " + dir);
        return 0;
      }
      OnlineTraining.Result rl = o.rl();
      PipelineStats.Snapshot st = rl.stats();
      System.out.printf(Locale.ROOT,
          "rl-%s: %d samples trained in %.1f s (%.1f samples/s)%s, %d gradients, %d stale gradient slices, %d "
              + "failures, learner versions %s%n  held-out after %s: %s%nrun folder: %s%n",
          o.settings().rl().algo(), st.trainedSamples(), rl.seconds(), st.trainedSamples() / Math.max(1e-9, rl.seconds()),
          stopNote(rl, request.samples()), st.gradients(), st.slicesStale(), st.failures(),
          java.util.Arrays.toString(rl.versions()), o.settings().rl().algo().configName().toUpperCase(Locale.ROOT),
          o.afterRl() == null ? "(not evaluated: stopped early)" : o.afterRl(), dir);
      if (st.failures() > 0) {
        System.out.println("  last failure: " + st.lastFailure());
      }
      return 0;
    } finally {
      stop.finish();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running (Ctrl-C): it returns now that the run has finished
      }
    }
  }

  /** The driver's node config: {@code multi-node.conf} at {@code --host}/{@code --port} with role driver. */
  private com.typesafe.config.Config clusterConfig() {
    try {
      return NodeConfig.withTls(new NodeConfig(host, port, seeds, List.of(ClusterTraining.DRIVER), null).toConfig(),
          tls);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli(), e.getMessage());
    }
  }

  /**
   * What ended RL, for the outcome line: with a sample budget, that admission stopped at it (so the count exceeds it
   * by less than one group of completions, never by what the pipeline held in flight).
   */
  static String stopNote(OnlineTraining.Result rl, long budget) {
    return switch (rl.stoppedBy()) {
      case "samples" -> String.format(Locale.ROOT, "; budget %d samples: %d admitted, none after it (overshoot at most "
          + "one group of completions less one)", budget, rl.admittedSamples());
      case "stop request" -> "; stopped by a signal, in-flight samples finished";
      case "data" -> "; the data ran out";
      default -> "";
    };
  }

  /**
   * The JVM shutdown hook (Ctrl-C, SIGTERM): asks the run to stop; during RL it waits, at most {@link #STOP_WAIT}, for
   * the learner slices and {@code policy.ckpt} to be written, so the JVM exits with the run resumable.
   */
  private static void stopOnShutdown(StopSignal stop) {
    if (!stop.request("signal")) {
      return;
    }
    System.err.println("train: stopping on a signal: checkpointing the learner slices and writing policy.ckpt "
        + "(up to " + STOP_WAIT.toSeconds() + " s)");
    try {
      if (!stop.awaitFinished(STOP_WAIT)) {
        System.err.println("train: the checkpoint did not finish within " + STOP_WAIT.toSeconds() + " s; exiting");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * This command's command line: the one that parsed it (a new {@code CommandLine(this)} would inject a fresh spec,
   * losing which options were given), or a new one when it was not run by picocli.
   */
  private CommandLine cli() {
    return spec != null ? spec.commandLine() : new CommandLine(this);
  }

  /** Whether {@code option} was given on the command line (false when the command was not run by picocli). */
  private boolean given(String option) {
    if (spec == null) {
      return false;
    }
    // the parse result lives with the top command; walk down to this one
    for (CommandLine.ParseResult p = spec.root().commandLine().getParseResult(); p != null; p = p.subcommand()) {
      if (p.commandSpec() == spec) {
        return p.hasMatchedOption(option);
      }
    }
    return false;
  }

  /**
   * The settings of the run to resume, with {@code --threads} when given; a setting option that differs from the
   * recorded value is refused in one line naming it ({@code --data} is checked by {@link TrainRun}).
   */
  private TrainSettings resumeSettings() throws java.io.IOException {
    RunFolder folder = new RunFolder(resume);
    TrainSettings rec = folder.readSettings();
    refuseChange(folder, "--encoder", encoder, rec.encoding().encoder());
    refuseChange(folder, "--answer", answer, rec.encoding().answer());
    refuseChange(folder, "--algo", algo == null ? null : AlgorithmName.parse(algo), rec.rl().algo());
    refuseChange(folder, "--confidence", confidence, rec.rl().confidence());
    refuseChange(folder, "--seed", seed, rec.seed());
    refuseChange(folder, "--sft-lr", sftLr, rec.sft().learningRate());
    refuseChange(folder, "--rl-lr", rlLr, rec.rlPhase().learningRate());
    refuseChange(folder, "--eval-images", evalImages, rec.eval().images());
    refuseChange(folder, "--sft-seconds", sftSeconds, rec.sft().seconds());
    Augmentation.Settings aug = folder.readAugment();
    refuseChange(folder, "--augment-views", augmentViews, aug.views());
    refuseChange(folder, "--augment-share", augmentShare, aug.share());
    refuseChange(folder, "--copy-paste", copyPaste, aug.copyPaste());
    return given("--threads") ? rec.withThreads(threads) : rec;
  }

  /** The augmentation of a new run: the defaults with the options given; refused in one line when out of range. */
  private Augmentation.Settings augment() {
    Augmentation.Settings d = Augmentation.Settings.defaults();
    try {
      return d.with(augmentViews != null ? augmentViews : d.views(), augmentShare != null ? augmentShare : d.share(),
          copyPaste != null ? copyPaste : d.copyPaste());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli(), e.getMessage().replace("augment.views", "--augment-views")
          .replace("augment.share", "--augment-share").replace("augment.copy-paste", "--copy-paste"));
    }
  }

  private void refuseChange(RunFolder folder, String option, Object value, Object recorded) {
    if (given(option) && !java.util.Objects.equals(value, recorded)) {
      throw new IllegalArgumentException(option + " " + value + " differs from the run's " + recorded + " ("
          + folder.settingsFile() + "); --resume keeps a run's settings: leave " + option + " out, or start a new "
          + "run with --out");
    }
  }

  /**
   * The RL settings of {@code config}'s {@code saliency.rl} block (the defaults in {@code application.conf}, overridable
   * with {@code -Dsaliency.rl.KEY=VALUE}): where the algorithm and its hyperparameters enter {@code train},
   * {@code experiment} and {@code bench-pipeline}.
   */
  static RlSettings rlSettings(com.typesafe.config.Config config) {
    return SaliencySettings.rl(config.getConfig("saliency.rl"));
  }

  /** Refuses bad option values before any work starts. */
  /** The {@code --tasks} mix (SOD alone when not given; a resumed run reads its own record instead). */
  private TaskMix taskMix() {
    if (tasks == null) {
      return TaskMix.sod();
    }
    try {
      return TaskMix.parse(tasks);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli(), e.getMessage());
    }
  }

  private void validate() {
    CommandLine cl = cli();
    if (tasks != null) {
      TaskMix mix = taskMix();
      if (resume != null) {
        throw new CommandLine.ParameterException(cl, "--tasks cannot change on --resume: the run trains the tasks "
            + "its folder records");
      }
      if (cluster && !mix.sodOnly()) {
        throw new CommandLine.ParameterException(cl, "--cluster trains sod only; drop --tasks " + tasks);
      }
      if (mix.tasks().contains(saliency.model.text.Task.SIS) && TrainSettings.PROMPT.equals(answer)) {
        throw new CommandLine.ParameterException(cl, "--tasks " + tasks + ": sis answers with <ins> polygons; "
            + "use --answer polygon");
      }
      if (data != null) {
        try {
          TaskFile.folderTask(mix, data);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(cl, e.getMessage());
        }
      }
    }
    if (algo != null) {
      try {
        AlgorithmName.parse(algo);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, "--algo: " + e.getMessage());
      }
    }
    List<String> confidences = saliency.model.policy.confidence.ConfidenceEstimators.NAMES;
    if (confidence != null && !confidences.contains(confidence)) {
      throw new CommandLine.ParameterException(cl, "--confidence must be one of " + String.join(", ", confidences)
          + "; got '" + confidence + "'");
    }
    if (minutes != null && !(minutes > 0)) {
      throw new CommandLine.ParameterException(cl, "--minutes must be > 0, got " + minutes);
    }
    if (samples != null && samples <= 0) {
      throw new CommandLine.ParameterException(cl, "--samples must be > 0, got " + samples);
    }
    if (sftSeconds != null && !(sftSeconds >= 0)) {
      throw new CommandLine.ParameterException(cl, "--sft-seconds must be >= 0, got " + sftSeconds);
    }
    if ((sftLr != null && !(sftLr > 0)) || (rlLr != null && !(rlLr > 0))) {
      throw new CommandLine.ParameterException(cl, "--sft-lr and --rl-lr must be > 0");
    }
    if (sftOnly && (minutes == null || resume != null)) {
      throw new CommandLine.ParameterException(cl, "--sft-only needs --minutes and a new run");
    }
    if (resume == null) {
      augment();
    }
    if (cluster != (seeds != null)) {
      throw new CommandLine.ParameterException(cl, cluster ? "--cluster needs --seeds HOST:PORT[,HOST:PORT]"
          : "--seeds is for --cluster runs");
    }
    if (cluster && (nodes < 1 || !(joinTimeout > 0))) {
      throw new CommandLine.ParameterException(cl, "--nodes must be >= 1 and --join-timeout > 0");
    }
    if (threads < 1) {
      throw new CommandLine.ParameterException(cl, "--threads must be >= 1, got " + threads);
    }
    if (data != null && !java.nio.file.Files.isDirectory(data)) {
      throw new CommandLine.ParameterException(cl, "--data " + data + " is not a folder");
    }
  }

  /** The RL progress bar: seconds (or samples) of the budget, with rate, reward, confidence, stale drops, version. */
  static final class RlBar implements OnlineTraining.Listener, AutoCloseable {
    private ProgressBar bar;

    @Override
    public void progress(OnlineTraining.Progress p) {
      boolean bySamples = p.budgetSeconds() == 0;
      if (bar == null) {
        bar = new ProgressBarBuilder().setTaskName("rl")
            .setInitialMax(bySamples ? p.budgetSamples() : (long) Math.ceil(p.budgetSeconds()))
            .setStyle(ProgressBarStyle.ASCII).setUnit(bySamples ? " samples" : " s", 1).continuousUpdate().build();
      }
      bar.stepTo(Math.min(bar.getMax(), bySamples ? p.samples() : (long) p.seconds()));
      StringBuilder perTask = new StringBuilder();
      p.rewardByTask().forEach((k, v) -> perTask.append(String.format(Locale.ROOT, " %s %.3f",
          k.startsWith("reward_") ? k.substring("reward_".length()) : k, v)));
      bar.setExtraMessage(String.format(Locale.ROOT, "%.1f samples/s reward %.3f%s conf %.3f stale %d v%d",
          p.samplesPerSecond(), p.reward(), perTask, p.confidence(), p.staleGradients(), p.version()));
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }

  static String format(Map<String, Double> stats) {
    StringBuilder sb = new StringBuilder();
    stats.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=')
        .append(String.format(Locale.ROOT, "%.3f", v)));
    return sb.toString();
  }

  /** A progress bar per phase, driven by the trainer's step callback. */
  static final class BarListener implements PolicyTrainer.Listener {
    private static ProgressBar bar;
    private static String barPhase;

    static <T> java.util.Iterator<T> wrap(java.util.Iterator<T> it) {
      return it;
    }

    static void close() {
      if (bar != null) {
        bar.close();
        bar = null;
        barPhase = null;
      }
    }

    @Override
    public void step(String phase, long step, double elapsed, double budget, Map<String, Double> stats) {
      if (!phase.equals(barPhase)) {
        close();
        bar = new ProgressBarBuilder().setTaskName(phase).setInitialMax((long) Math.ceil(budget))
            .setStyle(ProgressBarStyle.ASCII).setUnit(" s", 1).continuousUpdate().build();
        barPhase = phase;
      }
      bar.stepTo(Math.min((long) elapsed, bar.getMax()));
      bar.setExtraMessage("step " + step + " " + format(stats));
    }
  }
}
