package saliency.streams;

import java.util.Objects;

/**
 * A flat policy gradient (same layout as the flat weight vector) with the version of the samples it came from;
 * immutable by convention (the array is not copied).
 *
 * @param values d loss / d weights, length P
 * @param baseVersion element-wise oldest policy version among the samples of the batch
 * @param sampleCount samples the gradient averages over
 * @param loss the batch's policy loss (for logs)
 */
public record Gradient(float[] values, PolicyVersion baseVersion, int sampleCount, double loss) {
  public Gradient {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(baseVersion, "baseVersion");
    if (sampleCount < 1) {
      throw new IllegalArgumentException("sampleCount must be >= 1: " + sampleCount);
    }
  }
}
