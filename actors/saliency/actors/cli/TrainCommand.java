package saliency.actors.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import saliency.model.data.DataPosition;
import saliency.model.policy.PolicyNetwork;
import saliency.model.train.EvalResult;
import saliency.model.train.Evaluator;
import saliency.model.train.PolicyTrainer;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;

/** {@code train}: SFT warm start, then RL, on synthetic scenes or a DUTS-layout folder; holds only its options. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a policy: SFT on ground-truth polygons, then RL (CGPO by default); prints held-out figures after each phase.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--data", description = "DUTS-layout folder (images/, masks/); default: built-in synthetic scenes")
  Path data;

  @Option(names = "--algo", defaultValue = "cgpo", description = "cgpo | grpo | gspo | reinforce++ (default ${DEFAULT-VALUE})")
  String algo;

  @Option(names = "--confidence", defaultValue = "calibrated", description = "CGPO confidence: seqprob | calibrated | head (default ${DEFAULT-VALUE})")
  String confidence;

  @Option(names = "--sft-seconds", description = "SFT wall-clock budget (default 150)")
  Double sftSeconds;

  @Option(names = "--rl-seconds", description = "RL wall-clock budget (default 90)")
  Double rlSeconds;

  @Option(names = "--eval-images", description = "held-out images evaluated (default 200; 0 = whole split for --data)")
  Integer evalImages;

  @Option(names = "--threads", defaultValue = "1", description = "TensorFlow intra-op threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--seed", defaultValue = "1", description = "seed of weights, data order and sampling")
  long seed;

  @Option(names = "--sft-lr", description = "SFT learning rate (default 1e-3)")
  Double sftLr;

  @Option(names = "--rl-lr", description = "RL learning rate (default 1e-4)")
  Double rlLr;

  @Option(names = "--out", description = "run folder for the policy checkpoint (optional)")
  Path out;

  @Option(names = "--encoder", defaultValue = "conv", description = "conv | mobilenet_v2 (default ${DEFAULT-VALUE})")
  String encoder;

  @Override
  public Integer call() throws Exception {
    TrainSettings defaults = TrainSettings.defaults();
    TrainSettings s = defaults
        .withBudget(sftSeconds != null ? sftSeconds : defaults.sftSeconds(), rlSeconds != null ? rlSeconds : defaults.rlSeconds())
        .withAlgo(algo, confidence)
        .withSeed(seed)
        .withThreads(threads)
        .withEval(evalImages != null ? evalImages : defaults.evalImages(), defaults.evalSamples())
        .withEncoder(encoder, defaults.featureMap());
    if (sftLr != null || rlLr != null) {
      s = s.withLearningRates(sftLr != null ? sftLr : s.sftLearningRate(), rlLr != null ? rlLr : s.rlLearningRate());
    }
    try (PolicyNetwork net = PolicyNetwork.create(s.policyConfig())) {
      PolicyTrainer trainer = new PolicyTrainer(s, net, System::nanoTime, new BarListener());
      TrainingData td = data == null
          ? TrainingData.synthetic(trainer.encoder(), s.seed(), s.evalImages(), DataPosition.START)
          : TrainingData.directory(trainer.encoder(), data, s.seed(), s.evalImages(), DataPosition.START);
      System.out.println("data: " + td.description());
      System.out.println("policy: " + net.parameterCount() + " parameters, " + s.imageSize() + "x" + s.imageSize()
          + " input, " + s.bins() + " bins");
      Evaluator eval = new Evaluator(trainer.encoder(), s.evalSamples());

      PolicyTrainer.PhaseResult sft = trainer.sft(BarListener.wrap(td.train()), s.sftSeconds());
      BarListener.close();
      EvalResult afterSft = eval.evaluate(net, td.heldOut(), 7);
      System.out.println(phaseLine(sft) + "\n  held-out after SFT: " + afterSft);

      trainer.freezeReference();
      PolicyTrainer.PhaseResult rl = trainer.rl(td.train(), s.rlSeconds());
      BarListener.close();
      EvalResult afterRl = eval.evaluate(net, td.heldOut(), 7);
      System.out.println(phaseLine(rl) + "\n  held-out after " + s.algo().toUpperCase(Locale.ROOT) + ": " + afterRl);
      if (out != null) {
        saliency.model.train.RunFolder folder = new saliency.model.train.RunFolder(out);
        folder.writeSettings(s);
        saliency.model.policy.PolicyCheckpoint.of(net, null).save(folder.policyFile());
        System.out.println("run folder: " + out);
      }
      return 0;
    }
  }

  private static String phaseLine(PolicyTrainer.PhaseResult r) {
    return String.format(Locale.ROOT, "%s: %d steps, %d samples, %.1f s (%.1f samples/s), %d skipped, last %s",
        r.phase(), r.steps(), r.samples(), r.seconds(), r.samples() / Math.max(1e-9, r.seconds()), r.skipped(),
        format(r.last()));
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
