package saliency.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** How the training graph reaches a policy (actors in production, fakes in tests); implementations own no stream state. */
public interface PolicyClient<X> {
  /** Samples {@code count} completions for one prompt with the policy's current weights. */
  CompletionStage<Sampled> sample(X input, int count);

  /**
   * Samples {@code count} completions for each of {@code inputs} (one answer per input, in order); a policy that can
   * batch its device calls overrides this with one call. The default asks {@link #sample} per input.
   */
  default CompletionStage<List<Sampled>> sampleBatch(List<X> inputs, int count) {
    List<CompletableFuture<Sampled>> parts = new ArrayList<>(inputs.size());
    for (X x : inputs) {
      parts.add(sample(x, count).toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<Sampled> out = new ArrayList<>(parts.size());
      for (CompletableFuture<Sampled> f : parts) {
        out.add(f.join());
      }
      return out;
    });
  }

  /** Flat gradient of the policy loss over {@code batch}, at the policy's current weights. */
  CompletionStage<GradientResult> gradients(List<GradientExample<X>> batch);
}
