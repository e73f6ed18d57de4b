package saliency.model.policy.confidence;

import java.util.List;

/** Factory of confidence estimators by name; stateless. */
public final class ConfidenceEstimators {
  /** Accepted names. */
  public static final List<String> NAMES =
      List.of(SeqProbConfidence.NAME, CalibratedConfidence.NAME, HeadConfidence.NAME);

  private ConfidenceEstimators() {}

  /**
   * The estimator called {@code name}; {@code net} is needed only for {@code head}.
   *
   * @throws IllegalArgumentException for an unknown name, or {@code head} without a network
   */
  public static ConfidenceEstimator create(String name, saliency.model.policy.PolicyNetwork net) {
    switch (name) {
      case SeqProbConfidence.NAME:
        return new SeqProbConfidence();
      case CalibratedConfidence.NAME:
        return CalibratedConfidence.defaults();
      case HeadConfidence.NAME:
        if (net == null) {
          throw new IllegalArgumentException("confidence estimator 'head' needs a policy network");
        }
        return new HeadConfidence(net);
      default:
        throw new IllegalArgumentException("unknown confidence estimator '" + name + "', expected one of " + NAMES);
    }
  }
}
