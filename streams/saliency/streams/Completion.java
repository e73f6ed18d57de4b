package saliency.streams;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sampled completion: its tokens, their text form and the per-token log-probabilities under the sampling policy;
 * immutable by convention (arrays are not copied on the hot path; do not mutate them).
 *
 * @param tokens the completion's token ids, without the prompt
 * @param text the decoded text (what the segment stage parses)
 * @param tokenLogProbs log pi_old(o_t) per token, same length as {@code tokens}
 * @param predictedReward the policy's own prediction of the reward (its confidence head) made when sampling, in reward
 *     units; NaN when the policy was not asked for one
 */
public record Completion(int[] tokens, String text, float[] tokenLogProbs, double predictedReward) {
  /** A completion without a predicted reward. */
  public Completion(int[] tokens, String text, float[] tokenLogProbs) {
    this(tokens, text, tokenLogProbs, Double.NaN);
  }

  public Completion {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(tokenLogProbs, "tokenLogProbs");
    if (tokens.length != tokenLogProbs.length) {
      throw new IllegalArgumentException(
          "tokens (" + tokens.length + ") and tokenLogProbs (" + tokenLogProbs.length + ") differ in length");
    }
  }

  /** Sum of the token log-probabilities. */
  public double sumLogProb() {
    double s = 0;
    for (float lp : tokenLogProbs) {
      s += lp;
    }
    return s;
  }

  public int length() {
    return tokens.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Completion c
        && Arrays.equals(tokens, c.tokens)
        && text.equals(c.text)
        && Arrays.equals(tokenLogProbs, c.tokenLogProbs)
        && Double.compare(predictedReward, c.predictedReward) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(tokens) + text.hashCode();
  }

  @Override
  public String toString() {
    return "Completion[" + tokens.length + " tokens, text=" + text + "]";
  }
}
