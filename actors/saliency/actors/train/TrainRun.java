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
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.policy.PolicyNetwork;
import saliency.model.report.RunReporter;
import saliency.model.text.ParseResult;
import saliency.model.text.Vocabulary;
import saliency.model.train.EvalResult;
import saliency.model.train.Evaluator;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.PolicyTrainer;
import saliency.model.train.Prepared;
import saliency.model.train.RunFolder;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;

/**
 * A whole training run into a run folder: a new run does the SFT warm start in-process and evaluates it, then RL
 * through the pipeline ({@link OnlineTraining}), a final evaluation, the report files and {@code policy.ckpt}; a resumed
 * run restores settings, weights (learner slice checkpoints) and data position from the folder and skips SFT.
 * Stateless; {@link #run} owns everything it opens.
 */
public final class TrainRun {
  /** Held-out images drawn in {@code heldout-grid.png}. */
  public static final int GRID_IMAGES = 16;

  /**
   * What to run.
   *
   * @param data DUTS-layout folder, or null for the built-in synthetic scenes
   * @param settings the run's settings (ignored on resume: the folder's {@code settings.properties} is used)
   * @param runDir the run folder
   * @param resume continue the run in {@code runDir}
   * @param seconds RL wall-clock budget of this session (0: none)
   * @param samples RL trained-sample budget of this session (0: none)
   * @param evalEverySeconds period of the held-out greedy IoU during RL (0: none)
   * @param baseConfig the node config before the run's keys are set (usually {@code ConfigFactory.load()})
   * @param finalCheckpoint checkpoint the learner slices on stop (false simulates a crash, for tests)
   */
  public record Request(Path data, TrainSettings settings, Path runDir, boolean resume, double seconds, long samples,
      double evalEverySeconds, Config baseConfig, boolean finalCheckpoint) {
    public Request {
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(runDir, "runDir");
      Objects.requireNonNull(baseConfig, "baseConfig");
    }
  }

  /** Held-out figures after SFT (null on resume) and after RL, and the RL session's result. */
  public record Outcome(TrainSettings settings, EvalResult afterSft, EvalResult afterRl, OnlineTraining.Result rl) {}

  private TrainRun() {}

  public static Outcome run(Request r, LongSupplier clock, PolicyTrainer.Listener sftListener,
      OnlineTraining.Listener rlListener, Consumer<String> log) throws Exception {
    RunFolder folder = new RunFolder(r.runDir());
    TrainSettings s;
    RunProgress before;
    if (r.resume()) {
      s = folder.readSettings();
      before = RunProgress.read(r.runDir()).orElseThrow(() -> new IOException(
          r.runDir().resolve(RunProgress.FILE) + " is missing: nothing to resume"));
    } else {
      s = r.settings();
      if (Files.exists(SliceCheckpoint.file(r.runDir(), 0))) {
        throw new IOException(r.runDir() + " already holds learner checkpoints; resume it (--resume) or pick a new "
            + "folder");
      }
      before = RunProgress.START;
    }
    try (PolicyNetwork net = PolicyNetwork.create(s.policyConfig())) {
      PolicyTrainer trainer = new PolicyTrainer(s, net, clock, sftListener);
      ExampleEncoder encoder = trainer.encoder();
      TrainingData td = r.data() == null
          ? TrainingData.synthetic(encoder, s.seed(), s.evalImages(), before.position())
          : TrainingData.directory(encoder, r.data(), s.seed(), s.evalImages(), before.position());
      log.accept("data: " + td.description());
      log.accept("policy: " + net.parameterCount() + " parameters, " + s.imageSize() + "x" + s.imageSize()
          + " input, " + s.bins() + " bins");
      Evaluator eval = new Evaluator(encoder, s.evalSamples());
      EvalResult afterSft = null;
      try (RunReporter reporter = new RunReporter(r.runDir(), clock)) {
        if (r.resume()) {
          float[] w = OnlineTraining.weightsFromSlices(r.runDir(), net.parameterCount())
              .orElseGet(() -> fromPolicyFile(folder, net));
          net.setFlatWeights(w);
          log.accept("resumed " + r.runDir() + " at " + before.samples() + " samples, data position "
              + before.position());
        } else {
          PolicyTrainer.PhaseResult sft = trainer.sft(td.train(), s.sftSeconds());
          afterSft = eval.evaluate(net, td.heldOut(), 7);
          log.accept(String.format(java.util.Locale.ROOT, "sft: %d steps, %d samples, %.1f s%n  held-out after SFT: %s",
              sft.steps(), sft.samples(), sft.seconds(), afterSft));
          folder.writeSettings(s);
          reporter.heldOut(0, afterSft);
        }
        Config node = OnlineTraining.nodeConfig(r.baseConfig(), s, r.runDir());
        OnlineTraining online = new OnlineTraining(new OnlineTraining.Options(node, s, r.runDir(), r.seconds(),
            r.samples(), 1.0, 5.0, r.evalEverySeconds(), Math.min(64, Math.max(1, td.heldOut().size())),
            r.finalCheckpoint()), clock);
        OnlineTraining.Result rl = online.run(td, net, before, reporter, rlListener);

        net.setFlatWeights(rl.weights());
        net.setVersion(Arrays.stream(rl.versions()).min().orElse(0));
        EvalResult afterRl = eval.evaluate(net, td.heldOut(), 7);
        reporter.heldOut(rl.progress().samples(), afterRl);
        List<Prepared> shown = td.heldOut().subList(0, Math.min(GRID_IMAGES, td.heldOut().size()));
        reporter.grid(shown, greedyAnswers(net, encoder, shown));
        PolicyCheckpoint.of(net, null).save(folder.policyFile());
        return new Outcome(s, afterSft, afterRl, rl);
      }
    }
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
