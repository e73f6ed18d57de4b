package saliency.model.advantage;

import java.util.List;
import java.util.Objects;

/**
 * CGPO (DESIGN §7): {@code A = r - c} per sample, with {@code c} the confidence in reward units; no groups, nothing
 * skipped; stateless.
 */
public final class Cgpo implements AdvantageEstimator {
  @Override
  public String name() {
    return "cgpo";
  }

  @Override
  public AdvantageResult estimate(List<Scored> batch) {
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
}
