package saliency.streams;

import java.util.Objects;

/**
 * What a policy needs to compute one completion's policy-gradient contribution; immutable by convention.
 *
 * @param input the labelled input (the policy reads its image)
 * @param tokens the completion's tokens
 * @param advantage the completion's advantage
 * @param oldTokenLogProbs log pi_old per token at sampling time (for importance ratios)
 * @param reward the completion's observed total reward (trains a confidence head), NaN when unknown
 */
public record GradientExample<X>(X input, int[] tokens, double advantage, float[] oldTokenLogProbs, double reward) {
  /** An example without an observed reward. */
  public GradientExample(X input, int[] tokens, double advantage, float[] oldTokenLogProbs) {
    this(input, tokens, advantage, oldTokenLogProbs, Double.NaN);
  }

  public GradientExample {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(oldTokenLogProbs, "oldTokenLogProbs");
  }

  public static <X> GradientExample<X> of(Sample<X, ?> s) {
    return new GradientExample<>(s.input(), s.completion().tokens(), s.advantage(), s.completion().tokenLogProbs(),
        s.reward() == null ? Double.NaN : s.reward().total());
  }
}
