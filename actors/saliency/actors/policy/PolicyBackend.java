package saliency.actors.policy;

import java.util.List;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.GradientResult;

/**
 * One policy model on one device (the TensorFlow network in production, a fake in tests); the implementation owns
 * its weights and session and is called from one thread at a time (its {@link PolicyActor}), so it need not be
 * thread-safe. Calls may block.
 *
 * @param <X> the labelled input type the policy reads prompts from
 */
public interface PolicyBackend<X> extends AutoCloseable {
  /** P, the length of the flat weight vector. */
  int parameterCount();

  /** A copy of all weights as one flat vector of length P. */
  float[] flatWeights();

  /** Overwrites weights {@code [offset, offset + values.length)} of the flat vector. */
  void setSlice(int offset, float[] values);

  /** Samples {@code count} completions for the prompt of {@code input}. */
  List<Completion> sample(X input, int count);

  /**
   * Samples {@code count} completions for each of {@code inputs}, one list per input in order; a backend that batches
   * device calls overrides this with one call. The default calls {@link #sample} per input.
   */
  default List<List<Completion>> sampleBatch(List<X> inputs, int count) {
    List<List<Completion>> out = new java.util.ArrayList<>(inputs.size());
    for (X x : inputs) {
      out.add(sample(x, count));
    }
    return out;
  }

  /**
   * The greedy completion (argmax at every step) for each of {@code inputs}, in order, in one device call where the
   * backend can batch; a backend that cannot decode greedily throws {@link UnsupportedOperationException}.
   */
  default List<Completion> greedyBatch(List<X> inputs) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode greedily");
  }

  /** Per-token log-probabilities of each completion (teacher forcing) for the prompt of {@code input}. */
  float[][] score(X input, int[][] completions);

  /** Flat gradient (length P) of the policy loss over the batch, at the current weights. */
  GradientResult gradients(List<GradientExample<X>> batch);

  @Override
  default void close() {}
}
