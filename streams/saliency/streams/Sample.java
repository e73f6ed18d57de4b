package saliency.streams;

import java.util.Objects;

/**
 * One completion as it flows through the training graph, filled in stage by stage (segmentation, reward, confidence,
 * advantage); immutable: each stage returns a copy with its field set.
 *
 * @param <X> the labelled input (e.g. an image with its ground truth)
 * @param <S> what the segment stage makes of a completion (e.g. a mask)
 * @param promptId sequence number of the prompt in the source, shared by the completions of one group
 * @param indexInGroup 0..groupSize-1
 * @param groupSize completions sampled for this prompt (1 for CGPO and REINFORCE++)
 * @param input the labelled input
 * @param completion the sampled completion
 * @param version the policy version that produced the completion; later stages keep it
 * @param segmentation null until the segment stage ran
 * @param reward null until the reward stage ran
 * @param confidence NaN until the advantage estimator set it (only estimators that use one)
 * @param advantage NaN until the advantage stage ran
 */
public record Sample<X, S>(
    long promptId,
    int indexInGroup,
    int groupSize,
    X input,
    Completion completion,
    PolicyVersion version,
    S segmentation,
    Reward reward,
    double confidence,
    double advantage) {
  public Sample {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(completion, "completion");
    Objects.requireNonNull(version, "version");
    if (groupSize < 1 || indexInGroup < 0 || indexInGroup >= groupSize) {
      throw new IllegalArgumentException("bad group position " + indexInGroup + " of " + groupSize);
    }
  }

  /** A freshly sampled completion: no segmentation, reward, confidence or advantage yet. */
  public static <X, S> Sample<X, S> sampled(
      long promptId, int indexInGroup, int groupSize, X input, Completion completion, PolicyVersion version) {
    return new Sample<>(promptId, indexInGroup, groupSize, input, completion, version, null, null, Double.NaN,
        Double.NaN);
  }

  public Sample<X, S> withSegmentation(S s) {
    return new Sample<>(promptId, indexInGroup, groupSize, input, completion, version, Objects.requireNonNull(s, "s"),
        reward, confidence, advantage);
  }

  public Sample<X, S> withReward(Reward r) {
    return new Sample<>(promptId, indexInGroup, groupSize, input, completion, version, segmentation,
        Objects.requireNonNull(r, "r"), confidence, advantage);
  }

  /** Sets the advantage and the confidence it was computed with (NaN when the estimator uses none). */
  public Sample<X, S> withAdvantage(double a, double c) {
    if (!Double.isFinite(a)) {
      throw new IllegalArgumentException("advantage must be finite: " + a + " (prompt " + promptId + ")");
    }
    return new Sample<>(promptId, indexInGroup, groupSize, input, completion, version, segmentation, reward, c, a);
  }

  /** The reward's total; fails when the reward stage has not run. */
  public double rewardTotal() {
    if (reward == null) {
      throw new IllegalStateException("sample of prompt " + promptId + " has no reward yet");
    }
    return reward.total();
  }
}
