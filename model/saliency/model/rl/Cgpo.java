package saliency.model.rl;

import java.util.List;
import java.util.Objects;
import saliency.model.policy.PolicyNetwork;

/**
 * CGPO, confidence-guided policy optimization (DESIGN §7, Saliency-R1): one completion per prompt, advantage
 * {@code A = r - c} with {@code c} the policy's confidence in reward units, no group and nothing skipped; immutable,
 * it holds its settings.
 */
public final class Cgpo extends Algorithm {
  Cgpo(RlSettings settings) {
    // one completion per prompt, each sample its own unit (no barrier), the advantage reads the confidence
    super(AlgorithmName.CGPO, settings, 1, AdvantageUnit.sample(), true);
  }

  /** {@code A = r - c} per sample: right but unsure is pushed up, confidently wrong pushed down. */
  @Override
  public AdvantageResult advantages(List<Scored> batch) {
    Objects.requireNonNull(batch, "batch");
    double[] a = new double[batch.size()];
    boolean[] kept = new boolean[batch.size()];
    for (int i = 0; i < a.length; i++) {
      Scored s = batch.get(i);
      a[i] = s.reward() - s.confidence();
      kept[i] = true;
    }
    return AdvantageResult.withoutRatios(a, kept, 0);
  }

  /** Per-token PPO clip against the sampling-time log-probabilities (when on), KL, head, coordinates as set. */
  @Override
  public PolicyNetwork.LossSettings loss() {
    return settings().tokenClippedLoss();
  }
}
