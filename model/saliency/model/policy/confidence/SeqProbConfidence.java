package saliency.model.policy.confidence;

/** Raw length-normalized sequence probability {@code exp(mean_t log pi(o_t))}; stateless (a control). */
public final class SeqProbConfidence implements ConfidenceEstimator {
  public static final String NAME = "seqprob";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double[] confidences(ConfidenceInput input) {
    double[] c = new double[input.n()];
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.min(1.0, Math.exp(input.meanLogp()[i]));
    }
    return c;
  }

  @Override
  public void observe(double[] rewards, ConfidenceInput input) {
    // stateless
  }
}
