package saliency.model.policy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The policy network: a convolutional image encoder and a GRU decoder with attention over the encoder grid, in one
 * TensorFlow graph and session that this instance owns.
 *
 * <p>The encoder is either trained from scratch (stride-2 convolutions over {@code (N, S, S, 3)} images) or, with
 * {@link PolicyConfig#MOBILENET_V2}, a learned projection (1x1 convolution, then optional 3x3 convolutions) of
 * precomputed frozen MobileNetV2 features {@code (N, G, G, C)} fed through the same {@code images} input; the frozen
 * weights are not in this graph, so the flat vector holds only the projection, the decoder and the head.
 *
 * <p>The graph holds, with shared weights: a teacher-forced scoring unroll over {@code maxLen} steps (per-token
 * log-probabilities, the policy-gradient, KL and confidence-head losses and their gradients, the SFT cross-entropy
 * and its gradient) and a statically unrolled sampler (Gumbel-max categorical sampling with stateless random numbers,
 * temperature, greedy by argmax, {@code <pad>} forced after {@code <end>}) that samples a whole batch in one session
 * call. Weights are read and written as one flat {@code float[]} in a fixed variable order.
 *
 * <p>This class owns the {@link Graph} and the {@link Session} and closes both; the work is done by
 * {@link PolicyGraph} (graph building), {@link PolicySampler} (sampling and scoring), {@link PolicyGradients}
 * (gradients), {@link FlatWeights} (the flat weight vector) and {@link SavedModelExport}.
 *
 * <p>Not thread-safe: one owner thread (a trainer or an actor) uses an instance, and closes it.
 */
public final class PolicyNetwork implements AutoCloseable {

  /** Signature keys of the exported SavedModel. */
  public static final String SAMPLE_SIGNATURE = "sample";

  public static final String SCORE_SIGNATURE = "score";

  /** Sampled completions: tokens trimmed after {@code <end>} and their log-probabilities at temperature 1. */
  public record Samples(int[][] tokens, float[][] tokenLogp, float[] sumLogp, float[] meanLogp) {}

  /** Teacher-forced scores: per-token log-probabilities (one per completion token), their sum and mean. */
  public record Scores(float[][] tokenLogp, float[] sumLogp, float[] meanLogp) {}

  /** A flat gradient (variable order of {@link #getFlatWeights()}) and the loss terms it differentiates. */
  public record Gradients(float[] flat, double loss, double policyLoss, double klLoss, double headLoss) {}

  /**
   * How the policy loss weighs a completion sampled by older weights, with {@code r_t = pi(o_t) / pi_old(o_t)} from the
   * log-probabilities recorded at sampling time. Each equals the plain loss {@code -A sum_t log pi(o_t) / T_max} in
   * value of its gradient when the ratios are 1 (on-policy).
   */
  public enum Ratio {
    /** No importance ratio: {@code -A sum_t log pi(o_t) / T_max}. */
    NONE,
    /**
     * Per-token PPO clip (the decoupled objective of asynchronous RL): {@code -sum_t min(r_t A, clip(r_t) A) / T_max};
     * a token whose ratio left the clip range in the direction the advantage pushes gets no gradient.
     */
    TOKEN_CLIP,
    /**
     * GSPO's sequence ratio {@code s = exp(mean_t (log pi - log pi_old))} = {@code (pi(y)/pi_old(y))^(1/|y|)}:
     * {@code -min(s A, clip(s) A) |y| / T_max} (the constant {@code |y|/T_max} keeps the fixed normalizer).
     */
    SEQUENCE_CLIP
  }

  /**
   * Weights of the optional policy-loss terms and the importance ratio; an algorithm's are
   * {@code saliency.model.rl.Algorithm#loss()}.
   *
   * @param klBeta weight of the k3 KL estimate to the reference log-probabilities (0 turns it off)
   * @param headWeight weight of the confidence head's squared error (0 turns it off)
   * @param coordinatesOnly when true the policy gradient (and KL) counts only coordinate tokens, so RL moves vertices
   *     but leaves structure and {@code <end>} (how many vertices) to what SFT taught
   * @param ratio how the sampling-time log-probabilities enter the loss
   * @param epsLow lower clip {@code 1 - epsLow} of the ratio
   * @param epsHigh upper clip {@code 1 + epsHigh} of the ratio
   */
  public record LossSettings(double klBeta, double headWeight, boolean coordinatesOnly, Ratio ratio, double epsLow,
      double epsHigh) {
    /** Settings whose policy gradient counts every token, without an importance ratio. */
    public LossSettings(double klBeta, double headWeight) {
      this(klBeta, headWeight, false);
    }

    /** Settings without an importance ratio. */
    public LossSettings(double klBeta, double headWeight, boolean coordinatesOnly) {
      this(klBeta, headWeight, coordinatesOnly, Ratio.NONE, 0.2, 0.2);
    }

    public LossSettings {
      Objects.requireNonNull(ratio, "ratio");
      if (!(klBeta >= 0) || !(headWeight >= 0)) {
        throw new IllegalArgumentException("klBeta and headWeight must be >= 0: " + klBeta + ", " + headWeight);
      }
      if (!(epsLow >= 0 && epsLow < 1) || !(epsHigh >= 0)) {
        throw new IllegalArgumentException("clip range must have 0 <= epsLow < 1 and epsHigh >= 0: " + epsLow + ", "
            + epsHigh);
      }
    }

    public static LossSettings defaults() {
      return new LossSettings(0.0, 1.0);
    }

    /** These settings with another importance ratio. */
    public LossSettings withRatio(Ratio r) {
      return new LossSettings(klBeta, headWeight, coordinatesOnly, r, epsLow, epsHigh);
    }
  }

  /** Sampled completions and the confidence head's predicted reward per row, from one session call. */
  public record SamplesWithConfidence(Samples samples, float[] confidence) {}

  private final PolicyConfig cfg;
  private final Graph graph;
  private final Session session;
  private final PolicyGraph policyGraph;
  private final FlatWeights weights;
  private final PolicySampler sampler;
  private final PolicyGradients gradients;
  private long version;

  private PolicyNetwork(PolicyConfig cfg) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.graph = new Graph();
    try {
      this.policyGraph = new PolicyGraph(graph, cfg);
      ConfigProto proto =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(cfg.intraOpThreads())
              .setInterOpParallelismThreads(cfg.interOpThreads())
              // Each session gets its own thread pools: by default TensorFlow runs every session's ops on one
              // process-wide inter-op pool sized by the first session (1 thread here), so two policy networks in
              // two threads took turns on one core (2 threads: 91 -> 157 samples/s of sampling and gradients).
              .setUsePerSessionThreads(true)
              .setAllowSoftPlacement(true)
              .setGraphOptions(
                  GraphOptions.newBuilder()
                      .setRewriteOptions(
                          RewriterConfig.newBuilder().setDisableMetaOptimizer(!cfg.graphOptimizer())))
              .build();
      this.session = new Session(graph, proto);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
    PolicyInputs inputs = new PolicyInputs(cfg);
    this.weights = new FlatWeights(policyGraph.layout, session);
    this.sampler = new PolicySampler(cfg, policyGraph, session, inputs);
    this.gradients = new PolicyGradients(cfg, policyGraph, session, inputs);
  }

  /** A network with freshly initialized weights (Glorot uniform from {@code cfg.seed()}, zero biases). */
  public static PolicyNetwork create(PolicyConfig cfg) {
    PolicyNetwork net = new PolicyNetwork(cfg);
    try {
      net.setFlatWeights(net.policyGraph.layout.initialWeights(new Random(cfg.seed())));
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
    return net;
  }

  public PolicyConfig config() {
    return cfg;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Weights

  /** Number of float parameters (the flat vector's length), confidence head included. */
  public int parameterCount() {
    return weights.size();
  }

  /** A copy of all weights in flat order. */
  public float[] getFlatWeights() {
    return weights.get();
  }

  /** Replaces all weights. */
  public void setFlatWeights(float[] flat) {
    weights.set(flat);
  }

  /** Replaces {@code values.length} weights starting at {@code offset} (a learner shard's slice). */
  public void setSlice(int offset, float[] values) {
    weights.setSlice(offset, values);
  }

  /** Version of the current weights (set by the owner, e.g. the number of learner updates). */
  public long version() {
    return version;
  }

  public void setVersion(long version) {
    this.version = version;
  }

  /** Names, offsets and sizes of the weight tensors in flat order, one line each (for reports). */
  public List<String> describeParameters() {
    return policyGraph.layout.describe();
  }

  /** [offset, end) of the confidence head's weights in the flat vector (they come last). */
  public int[] headRange() {
    return policyGraph.layout.headRange();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Inference

  /**
   * Samples one completion per image in one session call.
   *
   * @param images n images, (n, S, S, 3) row-major floats in [0,1]; with the {@code mobilenet_v2} encoder their
   *     frozen features instead, (n, G, G, C) (see {@link PolicyConfig#inputShape()}); with a group context K images
   *     per example, (n, K, ...), each example's own first ({@link PolicyConfig#groupContext()})
   * @param promptTokens one task token per image (the decoder's first input)
   * @param temperature sampling temperature (> 0); ignored when greedy
   * @param greedy argmax decoding
   * @param seed stateless random seed: the same seed, weights and inputs give the same samples
   */
  public Samples sample(float[] images, int n, int[] promptTokens, double temperature, boolean greedy, long seed) {
    return sampler.sample(images, n, promptTokens, temperature, greedy, seed, null);
  }

  /**
   * As {@link #sample}, also fetching the confidence head's predicted reward in (0, 1) per row in the same session
   * call (the head reads the image and prompt only, so it is the same for every completion of a row).
   */
  public SamplesWithConfidence sampleWithConfidence(float[] images, int n, int[] promptTokens, double temperature,
      boolean greedy, long seed) {
    float[] head = new float[n];
    Samples s = sampler.sample(images, n, promptTokens, temperature, greedy, seed, head);
    return new SamplesWithConfidence(s, head);
  }

  /** Teacher-forced log-probabilities of the given completions (each 1..maxLen tokens, no {@code <pad>}). */
  public Scores score(float[] images, int n, int[] promptTokens, int[][] completions) {
    return sampler.score(images, n, promptTokens, completions);
  }

  /** The confidence head's predicted reward in (0, 1) per image and prompt. */
  public float[] predictConfidence(float[] images, int n, int[] promptTokens) {
    return sampler.predictConfidence(images, n, promptTokens);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Gradients

  /**
   * Gradient of {@code mean_i [-A_i sum_t log pi(o_it) / T_max + beta sum_t k3_it / T_max] + w mean_i (head_i - r_i)^2}
   * with respect to every weight (flat order), with {@code k3 = exp(ref - logp) - (ref - logp) - 1}.
   *
   * @param refTokenLogp per-token reference log-probabilities aligned with the completions, or null (KL off)
   * @param rewards observed rewards for the confidence head, or null (head term off)
   */
  public Gradients policyGradients(float[] images, int n, int[] prompts, int[][] completions, float[] advantages,
      float[][] refTokenLogp, float[] rewards, LossSettings settings) {
    return policyGradients(images, n, prompts, completions, advantages, refTokenLogp, rewards, null, settings);
  }

  /**
   * As {@link #policyGradients(float[], int, int[], int[][], float[], float[][], float[], LossSettings)}, with the
   * sampling-time per-token log-probabilities {@code oldTokenLogp} (aligned with the completions) that the settings'
   * {@link Ratio} reads; null is allowed only with {@link Ratio#NONE}.
   */
  public Gradients policyGradients(float[] images, int n, int[] prompts, int[][] completions, float[] advantages,
      float[][] refTokenLogp, float[] rewards, float[][] oldTokenLogp, LossSettings settings) {
    return gradients.policy(images, n, prompts, completions, advantages, refTokenLogp, rewards, oldTokenLogp,
        settings);
  }

  /** Gradient of the token cross-entropy (mean over the batch's real tokens); the head's entries are zero. */
  public Gradients sftGradients(float[] images, int n, int[] prompts, int[][] targets) {
    return gradients.sft(images, n, prompts, targets);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // SavedModel

  /**
   * Writes a SavedModel (tag {@code serve}) with the current weights and two signatures: {@code sample} (inputs
   * images, prompts, temperature, noise_scale (0 greedy, 1 sampling), seed (2) int64; outputs tokens (N, T) and
   * token_logp (N, T)) and {@code score} (inputs images, prompts, targets (N, T) int32 padded with {@code <pad>}, mask
   * (N, T); outputs token_logp, sum_logp, mean_logp). With the {@code mobilenet_v2} encoder, {@code images} takes
   * the frozen features (N, G, G, C) as in {@link #sample}.
   */
  public void exportSavedModel(Path dir) throws IOException {
    new SavedModelExport(policyGraph, session).export(dir);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
