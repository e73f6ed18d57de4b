package saliency.streams;

import java.util.Objects;

/**
 * What a policy needs to compute one completion's policy-gradient contribution; immutable by convention.
 *
 * @param input the labelled input (the policy reads its image)
 * @param tokens the completion's tokens
 * @param advantage the completion's advantage
 * @param oldTokenLogProbs log pi_old per token at sampling time (for importance ratios)
 */
public record GradientExample<X>(X input, int[] tokens, double advantage, float[] oldTokenLogProbs) {
  public GradientExample {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(oldTokenLogProbs, "oldTokenLogProbs");
  }

  public static <X> GradientExample<X> of(Sample<X, ?> s) {
    return new GradientExample<>(s.input(), s.completion().tokens(), s.advantage(), s.completion().tokenLogProbs());
  }
}
