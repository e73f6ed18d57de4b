package saliency.model.policy.confidence;

import java.util.Objects;
import saliency.model.policy.PolicyNetwork;

/**
 * The policy network's learned confidence head (a predicted reward from stop-gradient encoder features and the task
 * token); holds the network, whose owner thread it shares. The head learns through the reward term of
 * {@link PolicyNetwork#policyGradients}, so {@link #observe} keeps no state.
 */
public final class HeadConfidence implements ConfidenceEstimator {
  public static final String NAME = "head";

  private final PolicyNetwork net;

  public HeadConfidence(PolicyNetwork net) {
    this.net = Objects.requireNonNull(net, "net");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double[] confidences(ConfidenceInput input) {
    float[] p = net.predictConfidence(input.images(), input.n(), input.prompts());
    double[] c = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      c[i] = p[i];
    }
    return c;
  }

  @Override
  public void observe(double[] rewards, ConfidenceInput input) {
    // trained by the caller through PolicyNetwork.policyGradients(..., rewards, ...)
  }
}
