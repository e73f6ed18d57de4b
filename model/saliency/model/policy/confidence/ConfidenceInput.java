package saliency.model.policy.confidence;

import java.util.Objects;

/**
 * What an estimator may look at for a batch of n completions: the images and task tokens they answer and each
 * completion's mean per-token log-probability under the sampling policy. An immutable value (arrays not copied).
 *
 * @param images (n, S, S, 3) floats in [0,1], as given to the policy
 * @param n batch size
 * @param prompts one task token per completion
 * @param meanLogp mean over the completion's tokens of log pi(o_t), one per completion
 */
public record ConfidenceInput(float[] images, int n, int[] prompts, float[] meanLogp) {
  public ConfidenceInput {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(prompts, "prompts");
    Objects.requireNonNull(meanLogp, "meanLogp");
    if (prompts.length != n || meanLogp.length != n) {
      throw new IllegalArgumentException(
          "batch of " + n + " but " + prompts.length + " prompts and " + meanLogp.length + " meanLogp values");
    }
  }
}
