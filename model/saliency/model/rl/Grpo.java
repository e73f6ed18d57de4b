package saliency.model.rl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import saliency.model.policy.PolicyNetwork;

/**
 * GRPO (DESIGN §7): G completions per prompt, {@code A_i = (r_i - mean) / (std + 1e-4)} with the population standard
 * deviation of the prompt's group; groups with zero reward spread ({@code max - min < 1e-9}) are skipped and counted;
 * immutable, it holds its settings.
 */
public final class Grpo extends Algorithm {
  /** Added to the standard deviation before dividing (DESIGN §7). */
  static final double STD_EPS = 1e-4;

  /** Rewards that span less than this have zero spread. */
  static final double ZERO_SPREAD = 1e-9;

  Grpo(RlSettings settings) {
    // G completions per prompt, gathered per prompt before the advantage; no confidence
    super(AlgorithmName.GRPO, requireGroups(settings), settings.groupSize(),
        new AdvantageUnit(AdvantageUnit.Kind.PROMPT, settings.groupSize()), false);
  }

  /** {@code settings}, checked to have a group of at least two (a group of one has no spread to learn from). */
  static RlSettings requireGroups(RlSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (settings.groupSize() < 2) {
      throw new IllegalArgumentException("group-size must be at least 2 for " + settings.algo() + ", got "
          + settings.groupSize());
    }
    return settings;
  }

  /** Group-normalized rewards, grouped by prompt id. */
  @Override
  public AdvantageResult advantages(List<Scored> batch) {
    Objects.requireNonNull(batch, "batch");
    double[] a = new double[batch.size()];
    boolean[] kept = new boolean[batch.size()];
    int skipped = groupAdvantages(batch, a, kept);
    return AdvantageResult.withoutRatios(a, kept, skipped);
  }

  /** Per-token PPO clip against the sampling-time log-probabilities (when on), KL, head, coordinates as set. */
  @Override
  public PolicyNetwork.LossSettings loss() {
    return settings().tokenClippedLoss();
  }

  /** Fills group-normalized advantages and kept flags (groups by prompt id); returns the number of skipped groups. */
  static int groupAdvantages(List<Scored> batch, double[] a, boolean[] kept) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      groups.computeIfAbsent(batch.get(i).promptId(), k -> new ArrayList<>()).add(i);
    }
    int skipped = 0;
    for (List<Integer> g : groups.values()) {
      skipped += normalizeInto(batch, g, a, kept) ? 0 : 1;
    }
    return skipped;
  }

  /**
   * Writes {@code (r - mean) / (populationStd + 1e-4)} over the samples at {@code indices} into {@code a} and marks
   * them kept; returns false (leaving them 0 and not kept) when the rewards span less than {@link #ZERO_SPREAD},
   * fewer than two samples included.
   */
  static boolean normalizeInto(List<Scored> batch, List<Integer> indices, double[] a, boolean[] kept) {
    int n = indices.size();
    if (n < 2) {
      return false;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int i : indices) {
      double v = batch.get(i).reward();
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    if (max - min < ZERO_SPREAD) {
      return false;
    }
    double mean = sum / n;
    double ss = 0;
    for (int i : indices) {
      double d = batch.get(i).reward() - mean;
      ss += d * d;
    }
    double std = Math.sqrt(ss / n);
    for (int i : indices) {
      a[i] = (batch.get(i).reward() - mean) / (std + STD_EPS);
      kept[i] = true;
    }
    return true;
  }
}
