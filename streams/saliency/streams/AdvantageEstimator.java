package saliency.streams;

import java.util.List;

/**
 * Sets the advantage of each sample of one unit: a single sample (CGPO), the G completions of one prompt (GRPO, GSPO)
 * or a batch (REINFORCE++). Returns the samples to train on; an empty list skips the unit (e.g. a group with zero
 * reward spread), which the graph counts.
 */
@FunctionalInterface
public interface AdvantageEstimator<X, S> {
  List<Sample<X, S>> estimate(List<Sample<X, S>> unit);
}
