package saliency.model.policy;

import java.util.List;
import java.util.Objects;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import saliency.model.policy.PolicyNetwork.Gradients;
import saliency.model.policy.PolicyNetwork.LossSettings;
import saliency.model.policy.PolicyNetwork.Ratio;
import saliency.model.text.Vocabulary;

/**
 * Computes the policy-gradient and SFT gradients as flat vectors in the session that {@link PolicyNetwork} owns;
 * holds no state of its own.
 */
final class PolicyGradients {

  private final PolicyConfig cfg;
  private final PolicyGraph graph;
  private final Session session;
  private final PolicyInputs inputs;

  PolicyGradients(PolicyConfig cfg, PolicyGraph graph, Session session, PolicyInputs inputs) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.graph = Objects.requireNonNull(graph, "graph");
    this.session = Objects.requireNonNull(session, "session");
    this.inputs = Objects.requireNonNull(inputs, "inputs");
  }

  /**
   * The policy-gradient loss's gradient with respect to every weight; see {@code PolicyNetwork.policyGradients} with
   * the sampling-time log-probabilities.
   */
  Gradients policy(float[] images, int n, int[] prompts, int[][] completions, float[] advantages,
      float[][] refTokenLogp, float[] rewards, float[][] oldTokenLogp, LossSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (oldTokenLogp == null && settings.ratio() != Ratio.NONE) {
      throw new IllegalArgumentException("ratio " + settings.ratio() + " needs the sampling-time log-probabilities");
    }
    float[] oldFlat = inputs.aligned("oldTokenLogp", oldTokenLogp, n, completions); // (N, T)
    float[] ratioWeights = new float[3];
    ratioWeights[settings.ratio().ordinal()] = 1f;
    float[] clip = {(float) (1 - settings.epsLow()), (float) (1 + settings.epsHigh())};
    if (advantages.length != n) {
      throw new IllegalArgumentException("advantages: expected " + n + ", got " + advantages.length);
    }
    if (rewards != null && rewards.length != n) {
      throw new IllegalArgumentException("rewards: expected " + n + ", got " + rewards.length);
    }
    PolicyInputs.Batch b = inputs.batch(n, completions);
    float[] refFlat = inputs.aligned("refTokenLogp", refTokenLogp, n, completions); // (N, T)
    if (settings.coordinatesOnly()) {
      int[] tg = b.targets();
      float[] mk = b.mask();
      for (int k = 0; k < tg.length; k++) {
        if (tg[k] < Vocabulary.FIRST_COORD) {
          mk[k] = 0f;
        }
      }
    }
    float beta = refTokenLogp == null ? 0f : (float) settings.klBeta();
    float headW = rewards == null ? 0f : (float) settings.headWeight();
    float[] rw = rewards == null ? new float[n] : rewards;
    LossGraph l = graph.losses;
    float[] losses = new float[4];
    float[] flat;
    try (PolicyInputs.Feed feed = inputs.feed(images, n, prompts, b);
        TFloat32 ad = PolicyInputs.vector(advantages);
        TFloat32 rf = inputs.perToken(refFlat, n);
        TFloat32 bt = TFloat32.scalarOf(beta);
        TFloat32 hw = TFloat32.scalarOf(headW);
        TFloat32 rt = PolicyInputs.vector(rw);
        TFloat32 ol = inputs.perToken(oldFlat, n);
        TFloat32 rwt = PolicyInputs.vector(ratioWeights);
        TFloat32 cr = PolicyInputs.vector(clip)) {
      Session.Runner run =
          feed.into(session.runner())
              .feed(PolicyGraph.ADVANTAGES, ad)
              .feed(PolicyGraph.REF_LOGP, rf)
              .feed(PolicyGraph.KL_BETA, bt)
              .feed(PolicyGraph.HEAD_WEIGHT, hw)
              .feed(PolicyGraph.REWARDS, rt)
              .feed(PolicyGraph.OLD_LOGP, ol)
              .feed(PolicyGraph.RATIO_WEIGHTS, rwt)
              .feed(PolicyGraph.CLIP_RANGE, cr)
              .fetch(graph.objectives.total())
              .fetch(l.policyLoss)
              .fetch(l.klLoss)
              .fetch(graph.objectives.headLoss());
      flat = fetchGradients(run, 4, graph.objectives.gradients(), true, losses);
    }
    return new Gradients(flat, losses[0], losses[1], beta * losses[2], headW * losses[3]);
  }

  /** Gradient of the token cross-entropy (mean over the batch's real tokens); the head's entries are zero. */
  Gradients sft(float[] images, int n, int[] prompts, int[][] targets) {
    PolicyInputs.Batch b = inputs.batch(n, targets);
    float[] loss = new float[1];
    float[] flat;
    try (PolicyInputs.Feed feed = inputs.feed(images, n, prompts, b)) {
      Session.Runner run = feed.into(session.runner()).fetch(graph.objectives.sftLoss());
      flat = fetchGradients(run, 1, graph.objectives.sftGradients(), false, loss);
    }
    return new Gradients(flat, loss[0], 0, 0, 0);
  }

  /**
   * Runs {@code run} with the gradients fetched after its {@code scalars} scalar fetches; writes the scalars into
   * {@code scalarsOut} and returns the gradients in flat order (zeros for the head unless {@code withHead}).
   */
  private float[] fetchGradients(Session.Runner run, int scalars, List<Output<?>> grads, boolean withHead,
      float[] scalarsOut) {
    for (Output<?> gr : grads) {
      run.fetch(gr);
    }
    float[] flat = new float[graph.layout.size()];
    try (Result r = run.run()) {
      for (int k = 0; k < scalars; k++) {
        scalarsOut[k] = ((TFloat32) r.get(k)).getFloat();
      }
      int k = scalars;
      for (ParameterLayout.Param p : graph.layout.params()) {
        if (withHead || !p.head()) {
          ((TFloat32) r.get(k++)).copyTo(DataBuffers.of(flat, false, false).slice(p.offset(), p.size()));
        }
      }
    }
    return flat;
  }
}
