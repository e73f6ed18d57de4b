package saliency.model.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;
import saliency.model.data.EpochIterator;
import saliency.model.geometry.Mask;
import saliency.model.optim.Adam;
import saliency.model.policy.PolicyNetwork;
import saliency.model.policy.confidence.ConfidenceEstimator;
import saliency.model.policy.confidence.ConfidenceEstimators;
import saliency.model.policy.confidence.ConfidenceInput;
import saliency.model.reward.RewardBreakdown;
import saliency.model.rl.AdvantageResult;
import saliency.model.rl.Algorithm;
import saliency.model.rl.RlSettings;
import saliency.model.rl.Scored;
import saliency.model.text.ParseResult;

/**
 * Single-process SFT then RL (CGPO by default) of one policy network, readable top to bottom; the trainer owns its
 * optimizers, its confidence estimator and its counters, and borrows the network.
 *
 * <p>SFT: token cross-entropy on ground-truth polygons. RL, per step, with the settings' {@link Algorithm} (the same
 * object the pipeline runs): sample its completions per prompt at the rollout temperature, decode and rasterize them,
 * score them (IoU, S-measure, centroid, format), take the confidence {@code c} from the estimator, form the
 * algorithm's advantages, and descend its loss through {@link RlGradient}. Gradients with a NaN or Inf are skipped
 * and counted.
 */
public final class PolicyTrainer {

  /** Receives a line of statistics after every step (progress bars, CSV, TensorBoard). */
  public interface Listener {
    void step(String phase, long step, double elapsedSeconds, double budgetSeconds, Map<String, Double> stats);
  }

  /** What a phase did: steps taken, samples seen, skipped steps, wall time and the last statistics. */
  public record PhaseResult(String phase, long steps, long samples, long skipped, double seconds, Map<String, Double> last) {}

  private final TrainSettings settings;
  private final PolicyNetwork net;
  private final ExampleEncoder encoder;
  private final TaskRewards rewards;
  private final LongSupplier nanoClock;
  private final Random random;
  private final Listener listener;
  private double sftFinalLearningRate = Double.NaN;
  private Validation validation;

  /**
   * How SFT chooses its weights: every {@code everySeconds} the policy is scored (higher is better, e.g. S-measure on
   * a validation set); the best weights are kept and restored at the end, and SFT stops early after {@code patience}
   * scores in a row without a gain.
   */
  public record Validation(java.util.function.ToDoubleFunction<PolicyNetwork> score, double everySeconds,
      int patience) {
    public Validation {
      Objects.requireNonNull(score, "score");
      if (!(everySeconds > 0) || patience < 1) {
        throw new IllegalArgumentException("validation every " + everySeconds + " s, patience " + patience);
      }
    }
  }

  /** Scores SFT on a validation set as it goes, keeps the best weights and stops when they stop improving. */
  public PolicyTrainer withValidation(Validation v) {
    this.validation = Objects.requireNonNull(v, "validation");
    return this;
  }

  /** A trainer preparing examples with {@code new ExampleEncoder(settings)}. */
  public PolicyTrainer(TrainSettings settings, PolicyNetwork net, LongSupplier nanoClock, Listener listener) {
    this(settings, net, new ExampleEncoder(settings), nanoClock, listener);
  }

  /** A trainer preparing examples with {@code encoder} (e.g. one with its own feature cache). */
  public PolicyTrainer(TrainSettings settings, PolicyNetwork net, ExampleEncoder encoder, LongSupplier nanoClock,
      Listener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.net = Objects.requireNonNull(net, "net");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.rewards = new TaskRewards(settings.rewardWeights());
    this.random = new Random(settings.seed());
  }

  /**
   * Decays the SFT learning rate from {@code sft-learning-rate} to {@code finalLearningRate} along a half cosine over
   * the phase's budget (the larger of the elapsed share of its seconds and of max-steps); by default it stays constant.
   */
  public PolicyTrainer withSftDecay(double finalLearningRate) {
    if (!(finalLearningRate > 0) || finalLearningRate > settings.sft().learningRate()) {
      throw new IllegalArgumentException("final SFT learning rate must be in (0, " + settings.sft().learningRate()
          + "], got " + finalLearningRate);
    }
    this.sftFinalLearningRate = finalLearningRate;
    return this;
  }

  /** The SFT learning rate after {@code fraction} (clamped to [0, 1]) of the phase. */
  double sftLearningRate(double fraction) {
    double lr0 = settings.sft().learningRate();
    if (Double.isNaN(sftFinalLearningRate)) {
      return lr0;
    }
    double f = Math.max(0, Math.min(1, fraction));
    return sftFinalLearningRate + (lr0 - sftFinalLearningRate) * 0.5 * (1 + Math.cos(Math.PI * f));
  }

  public ExampleEncoder encoder() {
    return encoder;
  }

  /** The settings this trainer runs with. */
  public TrainSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // SFT: teacher-forced cross-entropy on polygons traced from the ground-truth masks.
  // ---------------------------------------------------------------------------------------------------------------

  /** Runs SFT on {@code data} for {@code seconds} of wall clock (and at most max-steps steps when set). */
  public PhaseResult sft(Iterator<Prepared> data, double seconds) {
    Adam adam = new Adam(Adam.Settings.defaults(settings.sft().learningRate()), net.parameterCount());
    float[] weights = net.getFlatWeights();
    long start = nanoClock.getAsLong();
    long steps = 0;
    long samples = 0;
    long skipped = 0;
    Map<String, Double> stats = Map.of();
    EarlyStopping early = validation == null ? null
        : new EarlyStopping(validation.everySeconds(), validation.patience());
    int misses = 0;
    while (withinBudget(start, seconds, steps)) {
      List<Prepared> batch = new ArrayList<>(settings.sft().batch());
      while (batch.size() < settings.sft().batch()) {
        Prepared p = data.next();
        if (p.target() != null) {
          batch.add(p);
          misses = 0;
        } else if (++misses >= sftMissLimit(data)) {
          throw new IllegalStateException(noSftTarget(data));
        }
      }
      int n = batch.size();
      int[][] targets = batch.stream().map(Prepared::target).toArray(int[][]::new);
      PolicyNetwork.Gradients g = net.sftGradients(ExampleEncoder.stack(batch), n, Prepared.promptTokens(batch), targets);
      double fraction = seconds > 0 ? elapsed(start) / seconds : 1;
      if (settings.maxSteps() > 0) {
        fraction = Math.max(fraction, steps / (double) settings.maxSteps());
      }
      double lr = sftLearningRate(fraction);
      boolean applied = apply(adam, weights, g.flat(), lr);
      skipped += applied ? 0 : 1;
      steps++;
      samples += n;
      stats = Map.of("loss", g.loss(), "lr", lr);
      listener.step("sft", steps, elapsed(start), seconds, stats);
      if (early != null && early.due(elapsed(start), !withinBudget(start, seconds, steps))
          && early.record(validation.score().applyAsDouble(net), weights, steps)) {
        break;
      }
    }
    if (early != null && early.bestWeights() != null) {
      System.arraycopy(early.bestWeights(), 0, weights, 0, weights.length);
      net.setFlatWeights(weights);
      stats = new LinkedHashMap<>(stats);
      stats.put("validation_best", early.best());
      stats.put("validation_best_step", (double) early.bestStep());
      stats.put("validation_checks", (double) early.checks());
    }
    return new PhaseResult("sft", steps, samples, skipped, elapsed(start), stats);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // RL: sample, segment, reward, confidence, advantage, gradient, Adam.
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Runs RL with the settings' algorithm ({@link RlSettings#algorithm()}: group size, advantage, loss terms) and
   * confidence estimator on {@code data} for {@code seconds}.
   */
  public PhaseResult rl(Iterator<Prepared> data, double seconds) {
    Algorithm algorithm = settings.rl().algorithm();
    RlGradient gradient = new RlGradient(algorithm, net, referenceSnapshot);
    ConfidenceEstimator confidence = ConfidenceEstimators.create(settings.rl().confidence(), net);
    int group = algorithm.completionsPerPrompt();
    int prompts = settings.rlPhase().batch() / group;
    int n = prompts * group;
    Adam adam = new Adam(Adam.Settings.defaults(settings.rlPhase().learningRate()), net.parameterCount());
    float[] weights = net.getFlatWeights();
    long start = nanoClock.getAsLong();
    long steps = 0;
    long samples = 0;
    long skipped = 0;
    Map<String, Double> stats = Map.of();
    String phase = "rl-" + algorithm.name().configName();
    while (withinBudget(start, seconds, steps)) {
      // 1. prompts: each image repeated G times (the algorithm's completions per prompt)
      List<Prepared> batch = new ArrayList<>(n);
      List<String> promptIds = new ArrayList<>(n);
      for (int p = 0; p < prompts; p++) {
        Prepared example = data.next();
        for (int k = 0; k < group; k++) {
          batch.add(example);
          promptIds.add(steps + "/" + p);
        }
      }
      float[] images = ExampleEncoder.stack(batch);
      int[] promptTokens = Prepared.promptTokens(batch);

      // 2. sample one completion per row at the rollout temperature
      PolicyNetwork.Samples s =
          net.sample(images, n, promptTokens, settings.rlPhase().temperature(), false, random.nextLong());

      // 3-4. segment (decode + rasterize at model resolution) and reward
      double[] r = new double[n];
      float[] rewardsF = new float[n];
      double iouSum = 0;
      double formatSum = 0;
      double vertexSum = 0;
      for (int i = 0; i < n; i++) {
        ParseResult parsed = encoder.decode(s.tokens()[i]);
        Mask gt = batch.get(i).modelMask();
        Mask pred = encoder.mask(batch.get(i), parsed, gt.width(), gt.height());
        RewardBreakdown b = rewards.score(batch.get(i), parsed, pred);
        r[i] = b.total();
        rewardsF[i] = (float) b.total();
        iouSum += b.iou();
        formatSum += b.format();
        vertexSum += ExampleEncoder.vertices(parsed);
      }

      // 5. confidence in reward units, then the algorithm's advantages
      ConfidenceInput in = new ConfidenceInput(images, n, promptTokens, s.meanLogp());
      double[] c = confidence.confidencesThenObserve(in, r); // the pipeline's advantage stage takes the same step
      List<Scored> scored = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        double lp = s.meanLogp()[i];
        scored.add(new Scored(promptIds.get(i), r[i], c[i], lp, lp));
      }
      AdvantageResult adv = algorithm.advantages(scored);
      float[] a = new float[n];
      int positive = 0;
      for (int i = 0; i < n; i++) {
        a[i] = (float) adv.advantage(i);
        positive += a[i] > 0 ? 1 : 0;
      }

      // 6. gradient of the algorithm's loss (ratio, KL to the frozen SFT policy, head, anchor), then Adam
      PolicyNetwork.Gradients g = gradient.compute(batch, images, s.tokens(), a, rewardsF, s.tokenLogp());
      boolean applied = apply(adam, weights, g.flat(), settings.rlPhase().learningRate());
      skipped += applied ? 0 : 1;
      steps++;
      samples += n;

      Map<String, Double> st = new LinkedHashMap<>();
      st.put("reward", mean(r));
      st.put("iou", iouSum / n);
      st.put("confidence", mean(c));
      st.put("positive", positive / (double) n);
      st.put("format", formatSum / n);
      st.put("vertices", vertexSum / n);
      st.put("skippedGroups", (double) adv.skippedGroups());
      st.putAll(TaskStats.meanRewardByTask(batch, r));
      st.put("loss", g.loss());
      stats = st;
      listener.step(phase, steps, elapsed(start), seconds, stats);
    }
    return new PhaseResult(phase, steps, samples, skipped, elapsed(start), stats);
  }

  private float[] referenceSnapshot;

  /** Freezes the current weights as the KL reference (call after SFT). */
  public void freezeReference() {
    referenceSnapshot = net.getFlatWeights();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private boolean apply(Adam adam, float[] weights, float[] grad, double lr) {
    if (!Adam.allFinite(grad)) {
      return false;
    }
    if (settings.clipNorm() > 0) {
      Adam.clipByGlobalNorm(grad, settings.clipNorm());
    }
    adam.apply(weights, grad, lr);
    net.setFlatWeights(weights);
    return true;
  }

  /** Draws in a row without an SFT target after which {@link #sft} gives up. */
  static final int SFT_MAX_MISSES = 10_000;

  /**
   * Consecutive target-less draws that prove no example has a target: any {@code 2N - 1} draws in a row of an
   * epoch iterator over {@code N} examples hold one whole epoch; other streams get {@link #SFT_MAX_MISSES}.
   */
  private static int sftMissLimit(Iterator<Prepared> data) {
    return data instanceof EpochIterator<?> e ? 2 * e.epochLength() - 1 : SFT_MAX_MISSES;
  }

  private static String noSftTarget(Iterator<Prepared> data) {
    return data instanceof EpochIterator<?> e
        ? "no training example yields an SFT target polygon in a whole epoch of " + e.epochLength()
            + " examples (empty or tiny ground-truth masks?)"
        : "no training example yields an SFT target polygon in " + SFT_MAX_MISSES
            + " consecutive examples (empty or tiny ground-truth masks?)";
  }

  private boolean withinBudget(long start, double seconds, long steps) {
    if (settings.maxSteps() > 0 && steps >= settings.maxSteps()) {
      return false;
    }
    return elapsed(start) < seconds;
  }

  private double elapsed(long start) {
    return (nanoClock.getAsLong() - start) / 1e9;
  }

  private static double mean(double[] v) {
    return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
  }
}
