package saliency.streams;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** How the training graph reaches a policy (actors in production, fakes in tests); implementations own no stream state. */
public interface PolicyClient<X> {
  /** Samples {@code count} completions for one prompt with the policy's current weights. */
  CompletionStage<Sampled> sample(X input, int count);

  /** Flat gradient of the policy loss over {@code batch}, at the policy's current weights. */
  CompletionStage<GradientResult> gradients(List<GradientExample<X>> batch);
}
