package saliency.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import saliency.model.policy.PolicyNetwork;
import saliency.model.rl.Algorithm;

/**
 * The RL gradient of a batch of completions as an {@link Algorithm} defines it: its policy loss (importance ratio and
 * clip, KL to a frozen reference, confidence head, tokens counted) plus its SFT anchor. Both RL drivers, the
 * single-process {@link PolicyTrainer} and the pipeline's policy backend, take their gradients here. Owns a copy of the
 * reference weights; borrows the network and runs on the network owner's thread.
 */
public final class RlGradient {
  private final Algorithm algorithm;
  private final PolicyNetwork.LossSettings loss;
  private final PolicyNetwork net;
  private final float[] reference;

  /**
   * @param reference the weights RL started from, for the KL term (copied); may be null when the algorithm's
   *     {@code kl-beta} is 0
   */
  public RlGradient(Algorithm algorithm, PolicyNetwork net, float[] reference) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.net = Objects.requireNonNull(net, "net");
    this.loss = algorithm.loss();
    if (loss.klBeta() > 0 && reference == null) {
      throw new IllegalStateException("kl-beta > 0 needs the reference weights RL started from");
    }
    if (reference != null && reference.length != net.parameterCount()) {
      throw new IllegalArgumentException("reference of " + reference.length + " weights, the network has "
          + net.parameterCount());
    }
    this.reference = reference == null ? null : reference.clone();
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  /**
   * The gradient of the algorithm's loss over {@code examples.size()} completions, plus {@code sft-anchor} times the
   * SFT cross-entropy gradient of the distinct examples that have a target.
   *
   * @param examples the example each completion answers (the completions of one prompt share one instance)
   * @param images the examples' model inputs, stacked in the same order
   * @param tokens the completions' tokens
   * @param advantages one per completion
   * @param rewards observed rewards for the confidence-head term, or null (term off)
   * @param oldTokenLogp per-token log-probabilities recorded when each completion was sampled
   */
  public PolicyNetwork.Gradients compute(List<Prepared> examples, float[] images, int[][] tokens, float[] advantages,
      float[] rewards, float[][] oldTokenLogp) {
    int n = examples.size();
    int[] prompts = Prepared.promptTokens(examples);
    float[][] ref = loss.klBeta() > 0 ? referenceLogp(images, n, prompts, tokens) : null;
    PolicyNetwork.Gradients g =
        net.policyGradients(images, n, prompts, tokens, advantages, ref, rewards, oldTokenLogp, loss);
    if (algorithm.sftAnchor() == 0) {
      return g;
    }
    float[] flat = g.flat();
    float[] sft = anchorGradient(examples);
    if (sft != null) {
      for (int i = 0; i < flat.length; i++) {
        flat[i] += (float) (algorithm.sftAnchor() * sft[i]);
      }
    }
    return new PolicyNetwork.Gradients(flat, g.loss(), g.policyLoss(), g.klLoss(), g.headLoss());
  }

  /** The SFT gradient over the distinct examples with a target, or null when none has one. */
  private float[] anchorGradient(List<Prepared> examples) {
    Set<Prepared> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Prepared> distinct = new ArrayList<>();
    for (Prepared p : examples) {
      if (p.target() != null && seen.add(p)) {
        distinct.add(p);
      }
    }
    if (distinct.isEmpty()) {
      return null;
    }
    int m = distinct.size();
    int[][] targets = distinct.stream().map(Prepared::target).toArray(int[][]::new);
    return net.sftGradients(ExampleEncoder.stack(distinct), m, Prepared.promptTokens(distinct), targets).flat();
  }

  /** Per-token log-probabilities of the completions under the reference weights (the network's are restored). */
  private float[][] referenceLogp(float[] images, int n, int[] prompts, int[][] tokens) {
    float[] current = net.getFlatWeights();
    net.setFlatWeights(reference);
    try {
      return net.score(images, n, prompts, tokens).tokenLogp();
    } finally {
      net.setFlatWeights(current);
    }
  }
}
