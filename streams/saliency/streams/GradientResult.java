package saliency.streams;

import java.util.Objects;

/** A policy's answer to a gradient request: the flat gradient and the loss; immutable by convention. */
public record GradientResult(float[] gradient, double loss) {
  public GradientResult {
    Objects.requireNonNull(gradient, "gradient");
  }
}
