package saliency.model.policy;

import java.util.Arrays;
import java.util.Objects;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import saliency.model.policy.PolicyNetwork.Samples;
import saliency.model.policy.PolicyNetwork.Scores;

/**
 * Runs the policy graph's sampler, teacher-forced scoring and confidence head in the session that
 * {@link PolicyNetwork} owns; holds no state of its own.
 */
final class PolicySampler {

  private final PolicyConfig cfg;
  private final PolicyGraph graph;
  private final Session session;
  private final PolicyInputs inputs;

  PolicySampler(PolicyConfig cfg, PolicyGraph graph, Session session, PolicyInputs inputs) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.graph = Objects.requireNonNull(graph, "graph");
    this.session = Objects.requireNonNull(session, "session");
    this.inputs = Objects.requireNonNull(inputs, "inputs");
  }

  /**
   * Samples one completion per row in one session call, trimmed after {@code <end>}.
   *
   * @param headOut when not null, receives the confidence head's prediction per row from the same call
   */
  Samples sample(float[] images, int n, int[] promptTokens, double temperature, boolean greedy, long seed,
      float[] headOut) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    int t = cfg.maxLen();
    int[] tok = new int[n * t];
    float[] lp = new float[n * t];
    try (TFloat32 img = inputs.images(images, n);
        TInt32 pr = inputs.prompts(promptTokens, n);
        TFloat32 temp = TFloat32.scalarOf((float) temperature);
        TFloat32 ns = TFloat32.scalarOf(greedy ? 0f : 1f);
        TInt64 sd = TInt64.vectorOf(seed, 0x5A11E7CEL)) {
      Session.Runner run =
          session.runner()
              .feed(PolicyGraph.IMAGES, img)
              .feed(PolicyGraph.PROMPTS, pr)
              .feed(PolicyGraph.TEMPERATURE, temp)
              .feed(PolicyGraph.NOISE_SCALE, ns)
              .feed(PolicyGraph.SEED, sd)
              .fetch(graph.sampled.tokens()) // (N, T)
              .fetch(graph.sampled.tokenLogp()); // (N, T)
      if (headOut != null) {
        run.fetch(graph.headPred); // (N)
      }
      try (Result r = run.run()) {
        ((TInt32) r.get(0)).copyTo(DataBuffers.of(tok, false, false));
        ((TFloat32) r.get(1)).copyTo(DataBuffers.of(lp, false, false));
        if (headOut != null) {
          ((TFloat32) r.get(2)).copyTo(DataBuffers.of(headOut, false, false));
        }
      }
    }
    int[][] tokens = new int[n][];
    float[][] logp = new float[n][];
    float[] sum = new float[n];
    float[] mean = new float[n];
    for (int i = 0; i < n; i++) {
      int len = t;
      for (int j = 0; j < t; j++) {
        if (tok[i * t + j] == cfg.endId()) {
          len = j + 1;
          break;
        }
      }
      tokens[i] = Arrays.copyOfRange(tok, i * t, i * t + len);
      logp[i] = Arrays.copyOfRange(lp, i * t, i * t + len);
      double acc = 0;
      for (float x : logp[i]) {
        acc += x;
      }
      sum[i] = (float) acc;
      mean[i] = (float) (acc / len);
    }
    return new Samples(tokens, logp, sum, mean);
  }

  /** Teacher-forced log-probabilities of the given completions (each 1..maxLen tokens, no {@code <pad>}). */
  Scores score(float[] images, int n, int[] promptTokens, int[][] completions) {
    PolicyInputs.Batch b = inputs.batch(n, completions);
    int t = cfg.maxLen();
    float[] lp = new float[n * t];
    float[] sum = new float[n];
    float[] mean = new float[n];
    try (PolicyInputs.Feed feed = inputs.feed(images, n, promptTokens, b);
        Result r =
            feed.into(session.runner())
                .fetch(graph.scoring.tokenLogp()) // (N, T), masked
                .fetch(graph.scoring.sumLogp()) // (N)
                .fetch(graph.scoring.meanLogp()) // (N)
                .run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(lp, false, false));
      ((TFloat32) r.get(1)).copyTo(DataBuffers.of(sum, false, false));
      ((TFloat32) r.get(2)).copyTo(DataBuffers.of(mean, false, false));
    }
    float[][] per = new float[n][];
    for (int i = 0; i < n; i++) {
      per[i] = Arrays.copyOfRange(lp, i * t, i * t + completions[i].length);
    }
    return new Scores(per, sum, mean);
  }

  /** The confidence head's predicted reward in (0, 1) per image and prompt. */
  float[] predictConfidence(float[] images, int n, int[] promptTokens) {
    float[] out = new float[n];
    try (TFloat32 img = inputs.images(images, n);
        TInt32 pr = inputs.prompts(promptTokens, n);
        Result r = session.runner()
            .feed(PolicyGraph.IMAGES, img)
            .feed(PolicyGraph.PROMPTS, pr)
            .fetch(graph.headPred)
            .run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }
}
