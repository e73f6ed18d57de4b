package saliency.model.rl;

import java.util.Objects;

/**
 * Advantages for a batch of scored completions, aligned to the input order; immutable (arrays are copied in and out).
 *
 * <p>A sample in a skipped group (zero reward spread) has advantage 0 and {@code kept(i) == false}: it carries no
 * signal and the trainer may leave it out. Estimators without an importance ratio report ratio 1.
 *
 * @param advantages advantage per sample, finite
 * @param ratios unclipped sequence-level importance ratio per sample (1 where not used)
 * @param clippedRatios the ratio clipped to the estimator's range (1 where not used)
 * @param kept false for samples of skipped groups
 * @param skippedGroups groups (or batches) skipped for zero reward spread
 * @param clipped samples whose ratio lay outside the clip range
 */
public record AdvantageResult(
    double[] advantages, double[] ratios, double[] clippedRatios, boolean[] kept, int skippedGroups, int clipped) {
  public AdvantageResult {
    advantages = Objects.requireNonNull(advantages, "advantages").clone();
    ratios = Objects.requireNonNull(ratios, "ratios").clone();
    clippedRatios = Objects.requireNonNull(clippedRatios, "clippedRatios").clone();
    kept = Objects.requireNonNull(kept, "kept").clone();
    int n = advantages.length;
    if (ratios.length != n || clippedRatios.length != n || kept.length != n) {
      throw new IllegalArgumentException(
          "arrays differ in length: advantages " + n + ", ratios " + ratios.length + ", clippedRatios "
              + clippedRatios.length + ", kept " + kept.length);
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(advantages[i]) || !Double.isFinite(ratios[i]) || !Double.isFinite(clippedRatios[i])) {
        throw new IllegalArgumentException("non-finite value at sample " + i);
      }
    }
  }

  /** A result with ratio 1 for every sample. */
  static AdvantageResult withoutRatios(double[] advantages, boolean[] kept, int skippedGroups) {
    double[] ones = new double[advantages.length];
    java.util.Arrays.fill(ones, 1.0);
    return new AdvantageResult(advantages, ones, ones, kept, skippedGroups, 0);
  }

  public int size() {
    return advantages.length;
  }

  public double advantage(int i) {
    return advantages[i];
  }

  public double ratio(int i) {
    return ratios[i];
  }

  public double clippedRatio(int i) {
    return clippedRatios[i];
  }

  public boolean kept(int i) {
    return kept[i];
  }

  /** Samples not in a skipped group. */
  public int keptCount() {
    int k = 0;
    for (boolean b : kept) {
      k += b ? 1 : 0;
    }
    return k;
  }

  /** Samples in skipped groups. */
  public int skippedSamples() {
    return advantages.length - keptCount();
  }

  @Override
  public double[] advantages() {
    return advantages.clone();
  }

  @Override
  public double[] ratios() {
    return ratios.clone();
  }

  @Override
  public double[] clippedRatios() {
    return clippedRatios.clone();
  }

  @Override
  public boolean[] kept() {
    return kept.clone();
  }
}
