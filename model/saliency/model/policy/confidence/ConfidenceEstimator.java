package saliency.model.policy.confidence;

/**
 * Confidence {@code c} of a completion in reward units, used as the CGPO baseline {@code A = r - c}; implementations
 * own whatever running state they keep and are confined to one owner thread.
 */
public interface ConfidenceEstimator {
  /** Name used in configs and reports ({@code seqprob}, {@code calibrated}, {@code head}). */
  String name();

  /** One confidence per completion, in [0, 1]. */
  double[] confidences(ConfidenceInput input);

  /** Feeds the observed rewards of the same completions back (online estimators update here). */
  void observe(double[] rewards, ConfidenceInput input);
}
