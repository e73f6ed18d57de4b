package saliency.model.policy;

import java.util.Objects;
import saliency.model.optim.Adam;

/**
 * One optimizer step for a whole {@link PolicyNetwork}: gradient from TensorFlow, global-norm clipping, Adam in Java,
 * weights written back and the version incremented. Owns the Adam state; same single owner as the network.
 */
public final class TrainStep {
  /** What one step did: the loss before the update and the gradient norm before clipping. */
  public record Outcome(double loss, double gradNorm, boolean applied) {}

  private final PolicyNetwork net;
  private final Adam adam;
  private final double clipNorm;

  public TrainStep(PolicyNetwork net, Adam adam, double clipNorm) {
    this.net = Objects.requireNonNull(net, "net");
    this.adam = Objects.requireNonNull(adam, "adam");
    if (adam.size() != net.parameterCount()) {
      throw new IllegalArgumentException(
          "optimizer size " + adam.size() + " != network parameterCount " + net.parameterCount());
    }
    this.clipNorm = clipNorm;
  }

  public TrainStep(PolicyNetwork net, Adam.Settings settings, double clipNorm) {
    this(net, new Adam(settings, net.parameterCount()), clipNorm);
  }

  public Adam adam() {
    return adam;
  }

  /** Clips, applies and publishes {@code g}; a non-finite gradient is skipped (applied = false). */
  public Outcome apply(PolicyNetwork.Gradients g) {
    float[] grad = g.flat();
    if (!Adam.allFinite(grad) || !Double.isFinite(g.loss())) {
      return new Outcome(g.loss(), Double.NaN, false);
    }
    double norm = Adam.clipByGlobalNorm(grad, clipNorm);
    float[] w = net.getFlatWeights();
    adam.apply(w, grad);
    net.setFlatWeights(w);
    net.setVersion(net.version() + 1);
    return new Outcome(g.loss(), norm, true);
  }

  /** One supervised step on ground-truth completions. */
  public Outcome sft(float[] images, int n, int[] prompts, int[][] targets) {
    return apply(net.sftGradients(images, n, prompts, targets));
  }
}
