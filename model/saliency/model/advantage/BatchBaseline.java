package saliency.model.advantage;

import java.util.List;
import java.util.Objects;

/**
 * REINFORCE++ batch baseline (DESIGN §7): one sample per prompt, {@code A = (r - mean_batch) / (std_batch + 1e-4)}
 * with the population standard deviation over the whole batch (prompt ids are not read); stateless.
 *
 * <p>A batch whose rewards have zero spread ({@code max - min < 1e-9}), a batch of one sample included, carries no
 * signal: every advantage is 0, the samples are marked not kept, and the batch counts as one skipped group.
 */
public final class BatchBaseline implements AdvantageEstimator {
  @Override
  public String name() {
    return "reinforce++";
  }

  @Override
  public AdvantageResult estimate(List<Scored> batch) {
    Objects.requireNonNull(batch, "batch");
    int n = batch.size();
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = batch.get(i).reward();
    }
    boolean[] kept = new boolean[n];
    if (n == 0) {
      return AdvantageResult.withoutRatios(r, kept, 0);
    }
    double[] a = Grpo.normalize(r);
    if (a == null) {
      return AdvantageResult.withoutRatios(new double[n], kept, 1);
    }
    java.util.Arrays.fill(kept, true);
    return AdvantageResult.withoutRatios(a, kept, 0);
  }
}
