package saliency.model.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saliency.model.policy.PolicyNetwork;

/**
 * REINFORCE++ with a batch baseline (DESIGN §7): one completion per prompt, {@code A = (r - mean) / (std + 1e-4)} over
 * windows of {@code baseline-window} consecutive samples (population standard deviation, prompt ids not read), the
 * natural single-sample baseline to compare CGPO with; immutable, it holds its settings.
 *
 * <p>A window whose rewards have zero spread ({@code max - min < 1e-9}), a window of one sample included, carries no
 * signal: its advantages are 0, its samples not kept, and it counts as one skipped group.
 */
public final class ReinforcePlusPlus extends Algorithm {
  ReinforcePlusPlus(RlSettings settings) {
    // one completion per prompt, windows of baseline-window consecutive samples; no confidence
    super(AlgorithmName.REINFORCE_PP, settings, 1,
        new AdvantageUnit(AdvantageUnit.Kind.WINDOW, Objects.requireNonNull(settings, "settings").baselineWindow()),
        false);
  }

  /** Rewards normalized over each window of consecutive samples (the last one may be short). */
  @Override
  public AdvantageResult advantages(List<Scored> batch) {
    Objects.requireNonNull(batch, "batch");
    int n = batch.size();
    double[] a = new double[n];
    boolean[] kept = new boolean[n];
    int skipped = 0;
    for (int start = 0; start < n; start += settings().baselineWindow()) {
      List<Integer> window = new ArrayList<>();
      for (int i = start; i < Math.min(n, start + settings().baselineWindow()); i++) {
        window.add(i);
      }
      skipped += Grpo.normalizeInto(batch, window, a, kept) ? 0 : 1;
    }
    return AdvantageResult.withoutRatios(a, kept, skipped);
  }

  /** Per-token PPO clip against the sampling-time log-probabilities (when on), KL, head, coordinates as set. */
  @Override
  public PolicyNetwork.LossSettings loss() {
    return settings().tokenClippedLoss();
  }
}
