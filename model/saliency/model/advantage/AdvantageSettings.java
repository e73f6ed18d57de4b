package saliency.model.advantage;

/**
 * Settings of the advantage estimators; immutable.
 *
 * @param epsLow GSPO clips the sequence-level ratio below at {@code 1 - epsLow} (in [0,1)); the GSPO paper uses 3e-4,
 *     far smaller than GRPO's per-token 0.2 because a sequence ratio is a geometric mean of token ratios
 * @param epsHigh GSPO clips the ratio above at {@code 1 + epsHigh} (non-negative); the GSPO paper uses 4e-4
 */
public record AdvantageSettings(double epsLow, double epsHigh) {
  /** GSPO paper defaults: {@code epsLow = 3e-4}, {@code epsHigh = 4e-4}. */
  public static final AdvantageSettings DEFAULTS = new AdvantageSettings(3e-4, 4e-4);

  public AdvantageSettings {
    if (!(epsLow >= 0 && epsLow < 1)) {
      throw new IllegalArgumentException("epsLow must be in [0,1), got " + epsLow);
    }
    if (!(epsHigh >= 0 && Double.isFinite(epsHigh))) {
      throw new IllegalArgumentException("epsHigh must be finite and non-negative, got " + epsHigh);
    }
  }
}
