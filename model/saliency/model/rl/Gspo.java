package saliency.model.rl;

import java.util.List;
import java.util.Objects;
import saliency.model.policy.PolicyNetwork;

/**
 * GSPO, group sequence policy optimization (DESIGN §7): G completions per prompt, GRPO's group advantage, and a loss
 * weighted by the sequence-level importance ratio {@code s = exp(mean_t (log pi - log pi_old))} clipped to
 * {@code [1 - sequence-clip-low, 1 + sequence-clip-high]}; immutable, it holds its settings.
 *
 * <p>The ratio it reports per sample comes from {@link Scored#logProbNew()} and {@link Scored#logProbOld()} (per-token
 * means); the log-ratio is clamped to {@code [-20, 20]} before {@code exp} so the ratio stays finite (and
 * {@code ratio * 0} never becomes NaN); a ratio that far from 1 is clipped anyway.
 */
public final class Gspo extends Algorithm {
  /** Bound on |log-ratio| before exponentiation. */
  static final double MAX_LOG_RATIO = 20.0;

  Gspo(RlSettings settings) {
    // G completions per prompt, gathered per prompt before the advantage; no confidence
    super(AlgorithmName.GSPO, Grpo.requireGroups(settings), settings.groupSize(),
        new AdvantageUnit(AdvantageUnit.Kind.PROMPT, settings.groupSize()), false);
  }

  /** GRPO's group advantages, with each sample's sequence ratio and its clipped value. */
  @Override
  public AdvantageResult advantages(List<Scored> batch) {
    Objects.requireNonNull(batch, "batch");
    int n = batch.size();
    double[] a = new double[n];
    boolean[] kept = new boolean[n];
    int skipped = Grpo.groupAdvantages(batch, a, kept);
    double[] ratio = new double[n];
    double[] clippedRatio = new double[n];
    int clipped = 0;
    for (int i = 0; i < n; i++) {
      Scored s = batch.get(i);
      ratio[i] = ratio(s.logProbNew(), s.logProbOld());
      clippedRatio[i] = clip(ratio[i], settings().sequenceClipLow(), settings().sequenceClipHigh());
      if (clippedRatio[i] != ratio[i]) {
        clipped++;
      }
    }
    return new AdvantageResult(a, ratio, clippedRatio, kept, skipped, clipped);
  }

  /** The sequence ratio, always (not only with off-policy correction), clipped by {@code sequence-clip-*}. */
  @Override
  public PolicyNetwork.LossSettings loss() {
    RlSettings s = settings();
    return s.loss(PolicyNetwork.Ratio.SEQUENCE_CLIP, s.sequenceClipLow(), s.sequenceClipHigh());
  }

  /** {@code exp(clamp(meanLogProbNew - meanLogProbOld, -20, 20))}. */
  public static double ratio(double meanLogProbNew, double meanLogProbOld) {
    double d = meanLogProbNew - meanLogProbOld;
    return Math.exp(Math.max(-MAX_LOG_RATIO, Math.min(MAX_LOG_RATIO, d)));
  }

  /** {@code s} clipped to {@code [1 - epsLow, 1 + epsHigh]}. */
  public static double clip(double s, double epsLow, double epsHigh) {
    return Math.max(1 - epsLow, Math.min(1 + epsHigh, s));
  }

  /**
   * The clipped surrogate objective of one sample (to maximize): {@code min(s * A, clip(s) * A)}; the pessimistic
   * choice, so a ratio outside the range only ever lowers the objective.
   */
  public static double clippedSurrogate(double s, double advantage, double epsLow, double epsHigh) {
    return Math.min(s * advantage, clip(s, epsLow, epsHigh) * advantage);
  }

  /** {@link #clippedSurrogate(double, double, double, double)} of sample {@code i} of a result, with these settings(). */
  public double clippedSurrogate(AdvantageResult result, int i) {
    return clippedSurrogate(result.ratio(i), result.advantage(i), settings().sequenceClipLow(),
        settings().sequenceClipHigh());
  }
}
