package saliency.streams;

/** Scores a segmented completion against the labelled input. */
@FunctionalInterface
public interface RewardFunction<X, S> {
  Reward reward(X input, Completion completion, S segmentation);
}
