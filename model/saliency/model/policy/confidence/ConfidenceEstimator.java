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

  /**
   * The step both RL drivers take: each completion's confidence read before its own reward is observed, then that
   * reward observed, completion by completion in order. The pipeline takes it one sample at a time, the
   * single-process trainer a batch at a time, and an online estimator sees the same sequence either way. This default
   * (all confidences, then all rewards) is that sequence for an estimator whose confidences do not depend on what it
   * observed; an online estimator overrides it.
   */
  default double[] confidencesThenObserve(ConfidenceInput input, double[] rewards) {
    double[] c = confidences(input);
    observe(rewards, input);
    return c;
  }
}
