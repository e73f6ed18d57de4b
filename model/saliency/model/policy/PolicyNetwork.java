package saliency.model.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

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
 * <p>Not thread-safe: one owner thread (a trainer or an actor) uses an instance, and closes it.
 */
public final class PolicyNetwork implements AutoCloseable {

  // Placeholder and output names (also the SavedModel signature keys' tensors).
  static final String IMAGES = "images";
  static final String PROMPTS = "prompts";
  static final String TARGETS = "targets";
  static final String MASK = "mask";
  static final String ADVANTAGES = "advantages";
  static final String REF_LOGP = "ref_logp";
  static final String KL_BETA = "kl_beta";
  static final String HEAD_WEIGHT = "head_weight";
  static final String REWARDS = "rewards";
  static final String OLD_LOGP = "old_logp";
  static final String RATIO_WEIGHTS = "ratio_weights";
  static final String CLIP_RANGE = "clip_range";
  static final String TEMPERATURE = "temperature";
  static final String NOISE_SCALE = "noise_scale";
  static final String SEED = "seed";
  static final String FLAT_WEIGHTS = "flat_weights";

  /** Signature keys of the exported SavedModel. */
  public static final String SAMPLE_SIGNATURE = "sample";

  public static final String SCORE_SIGNATURE = "score";

  private static final int POS_FEATURES = 10;

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

  /** One weight tensor's place in the flat vector. */
  private record Param(String name, Shape shape, int offset, int size, boolean head, Variable<TFloat32> variable,
      Operand<TFloat32> read) {}

  private final PolicyConfig cfg;
  private final Graph graph;
  private final Session session;
  private final List<Param> params = new ArrayList<>();
  private final float[] weights;
  private long version;

  // Graph endpoints.
  private Operand<TFloat32> scoreTokenLogp; // (N, T), masked
  private Operand<TFloat32> scoreSum; // (N)
  private Operand<TFloat32> scoreMean; // (N)
  private Operand<TFloat32> totalLoss;
  private Operand<TFloat32> pgLoss;
  private Operand<TFloat32> klLoss;
  private Operand<TFloat32> headLoss;
  private List<Output<?>> pgGrads;
  private Operand<TFloat32> sftLoss;
  private List<Output<?>> sftGrads; // non-head params only
  private Operand<TFloat32> headPred; // (N)
  private Operand<TInt32> sampleTokens; // (N, T)
  private Operand<TFloat32> sampleLogp; // (N, T)
  private final List<String> assignOps = new ArrayList<>();
  // images, prompts, targets, mask, temperature, noise_scale, seed
  private List<Operand<?>> signatureInputs;

  private PolicyNetwork(PolicyConfig cfg) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.graph = new Graph();
    try {
      build();
      int total = 0;
      for (Param p : params) {
        total += p.size();
      }
      this.weights = new float[total];
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
                  org.tensorflow.proto.GraphOptions.newBuilder()
                      .setRewriteOptions(
                          org.tensorflow.proto.RewriterConfig.newBuilder().setDisableMetaOptimizer(
                              !cfg.graphOptimizer())))
              .build();
      this.session = new Session(graph, proto);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** A network with freshly initialized weights (Glorot uniform from {@code cfg.seed()}, zero biases). */
  public static PolicyNetwork create(PolicyConfig cfg) {
    PolicyNetwork net = new PolicyNetwork(cfg);
    try {
      net.setFlatWeights(net.initialWeights(new Random(cfg.seed())));
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
  // Graph construction

  private Param param(Ops tf, String name, boolean head, long... dims) {
    Shape shape = Shape.of(dims);
    int size = (int) shape.size();
    int offset = params.isEmpty() ? 0 : params.get(params.size() - 1).offset() + params.get(params.size() - 1).size();
    Variable<TFloat32> v = tf.withName("w_" + name).variable(shape, TFloat32.class);
    Operand<TFloat32> read = tf.withName("r_" + name).identity(v);
    Param p = new Param(name, shape, offset, size, head, v, read);
    params.add(p);
    return p;
  }

  private static Operand<TInt32> shape(Ops tf, int... dims) {
    return tf.constant(dims);
  }

  /** Decoder weights shared by the scoring and the sampling unrolls. */
  private record Decoder(Operand<TFloat32> emb, Operand<TFloat32> wx, Operand<TFloat32> wh, Operand<TFloat32> b,
      Operand<TFloat32> wq, Operand<TFloat32> wo, Operand<TFloat32> bo, Operand<TFloat32> wout, Operand<TFloat32> bout,
      Operand<TFloat32> logitMask) {}

  /** Encoder outputs for one image batch. */
  private record Memory(Operand<TFloat32> keys, Operand<TFloat32> values, Operand<TFloat32> h0,
      Operand<TFloat32> ctx0, Operand<TFloat32> pooled) {}

  @SuppressWarnings("unchecked")
  private void build() {
    String dev = cfg.device();
    DeviceSpec spec =
        DeviceSpec.newBuilder()
            .deviceType(dev.startsWith("/GPU") ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU)
            .deviceIndex(Integer.parseInt(dev.substring(dev.indexOf(':') + 1)))
            .build();
    Ops tf = Ops.create(graph).withDevice(spec);
    int t = cfg.maxLen();
    int v = cfg.vocabSize();
    int h = cfg.decoderHidden();
    int e = cfg.embeddingSize();
    int a = cfg.attentionSize();
    int g = cfg.gridSize();
    int l = g * g;

    // ---- parameters, in flat order
    // conv: 3x3 stride-2 convolutions from RGB; mobilenet_v2: a 1x1 projection of the frozen features, then 3x3
    // stride-1 convolutions (the frozen MobileNetV2 weights live outside this graph and the flat vector)
    boolean frozen = cfg.isMobileNet();
    int[] in = cfg.inputShape();
    List<Param[]> convs = new ArrayList<>();
    int cin = in[2];
    for (int i = 0; i < cfg.encoderChannels().size(); i++) {
      int cout = cfg.encoderChannels().get(i);
      int k = frozen && i == 0 ? 1 : 3;
      String name = (frozen ? "proj" : "conv") + i;
      convs.add(new Param[] {param(tf, name, false, k, k, cin, cout), param(tf, name + "_b", false, cout)});
      cin = cout;
    }
    List<Long> strides = frozen ? List.of(1L, 1L, 1L, 1L) : List.of(1L, 2L, 2L, 1L);
    int c = cin;
    Param wk = param(tf, "att_key", false, c, a);
    Param wpk = param(tf, "att_key_pos", false, POS_FEATURES, a);
    Param bk = param(tf, "att_key_b", false, a);
    Param wv = param(tf, "att_val", false, c, a);
    Param wpv = param(tf, "att_val_pos", false, POS_FEATURES, a);
    Param bv = param(tf, "att_val_b", false, a);
    Param wh0 = param(tf, "h0", false, c, h);
    Param bh0 = param(tf, "h0_b", false, h);
    Param emb = param(tf, "embedding", false, v, e);
    Param gx = param(tf, "gru_x", false, e + a, 3L * h); // input [embedding; previous context] to gates z, r, n
    Param gh = param(tf, "gru_h", false, h, 3L * h);
    Param gb = param(tf, "gru_b", false, 3L * h);
    Param wq = param(tf, "att_query", false, h, a);
    Param wo = param(tf, "out", false, h + a, h); // [hidden; context] to the output layer
    Param bo = param(tf, "out_b", false, h);
    Param wout = param(tf, "logits", false, h, v);
    Param bout = param(tf, "logits_b", false, v);
    Param hw1 = param(tf, "head1", true, c, cfg.headHidden());
    Param hp1 = param(tf, "head1_prompt", true, v, cfg.headHidden());
    Param hb1 = param(tf, "head1_b", true, cfg.headHidden());
    Param hw2 = param(tf, "head2", true, cfg.headHidden(), 1);
    Param hb2 = param(tf, "head2_b", true, 1);

    // ---- flat weight assignment
    Placeholder<TFloat32> flat = tf.withName(FLAT_WEIGHTS).placeholder(TFloat32.class);
    for (Param p : params) {
      Operand<TFloat32> slice = tf.slice(flat, tf.constant(new int[] {p.offset()}), tf.constant(new int[] {p.size()}));
      Operand<TFloat32> shaped = tf.reshape(slice, tf.constant(p.shape().asArray()));
      String name = "assign_" + p.name();
      tf.withName(name).assign(p.variable(), shaped);
      assignOps.add(name);
    }

    // ---- inputs
    Placeholder<TFloat32> images =
        tf.withName(IMAGES).placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(-1, in[0], in[1], in[2]))); // (N, S, S, 3) or frozen features (N, G, G, Cf)
    Placeholder<TInt32> prompts =
        tf.withName(PROMPTS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1))); // (N)

    // ---- encoder
    Operand<TFloat32> x = images;
    for (Param[] conv : convs) {
      x = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, conv[0].read(), strides, "SAME"), conv[1].read()));
    } // (N, G, G, C)
    Operand<TFloat32> cells = tf.reshape(x, shape(tf, -1, c)); // (N*L, C)
    Operand<TFloat32> pos = tf.constant(positionFeatures(g)); // (L, P)
    Operand<TFloat32> keys =
        tf.math.add(
            tf.reshape(tf.linalg.matMul(cells, wk.read()), shape(tf, -1, l, a)),
            tf.math.add(tf.linalg.matMul(pos, wpk.read()), bk.read())); // (N, L, A)
    Operand<TFloat32> values =
        tf.math.add(
            tf.reshape(tf.linalg.matMul(cells, wv.read()), shape(tf, -1, l, a)),
            tf.math.add(tf.linalg.matMul(pos, wpv.read()), bv.read())); // (N, L, A)
    Operand<TFloat32> pooled = tf.math.mean(x, tf.constant(new int[] {1, 2})); // (N, C)
    Operand<TFloat32> h0 = tf.math.tanh(tf.math.add(tf.linalg.matMul(pooled, wh0.read()), bh0.read())); // (N, H)
    Operand<TFloat32> ctx0 = tf.math.mean(values, tf.constant(1)); // (N, A)
    Memory mem = new Memory(keys, values, h0, ctx0, pooled);
    float[] mask = new float[v];
    mask[cfg.padId()] = -1e9f;
    Decoder dec =
        new Decoder(emb.read(), gx.read(), gh.read(), gb.read(), wq.read(), wo.read(), bo.read(), wout.read(),
            bout.read(), tf.constant(mask));

    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> zero = tf.constant(0f);

    // ---- teacher-forced scoring
    Placeholder<TInt32> targets =
        tf.withName(TARGETS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, t))); // (N, T)
    Placeholder<TFloat32> tmask =
        tf.withName(MASK).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, t))); // (N, T)
    Operand<TInt32> inputs =
        tf.concat(
            List.of(
                tf.expandDims(prompts, tf.constant(1)),
                tf.slice(targets, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, t - 1}))),
            tf.constant(1)); // (N, T): prompt, then the completion shifted right
    Operand<TFloat32> inEmb =
        tf.reshape(
            tf.linalg.matMul(tf.reshape(tf.oneHot(inputs, tf.constant(v), one, zero), shape(tf, -1, v)), dec.emb()),
            shape(tf, -1, t, e)); // (N, T, E)
    List<Operand<TFloat32>> inSteps = unstack(tf, inEmb, t); // T x (N, E)
    List<Operand<TFloat32>> tgtOneHot = unstack(tf, tf.oneHot(targets, tf.constant(v), one, zero), t);
    Operand<TFloat32> hs = mem.h0();
    Operand<TFloat32> ctx = mem.ctx0();
    List<Operand<TFloat32>> stepLogp = new ArrayList<>();
    for (int i = 0; i < t; i++) {
      Operand<TFloat32>[] out = step(tf, dec, mem, inSteps.get(i), hs, ctx);
      hs = out[1];
      ctx = out[2];
      Operand<TFloat32> logsm = tf.nn.logSoftmax(out[0]); // (N, V)
      stepLogp.add(tf.sum(tf.math.mul(logsm, tgtOneHot.get(i)), tf.constant(1))); // (N)
    }
    Operand<TFloat32> rawLogp = tf.stack(stepLogp, Stack_axis(1)); // (N, T)
    scoreTokenLogp = tf.withName("score_token_logp").math.mul(rawLogp, tmask);
    scoreSum = tf.withName("score_sum_logp").sum(scoreTokenLogp, tf.constant(1));
    Operand<TFloat32> lengths = tf.sum(tmask, tf.constant(1)); // (N)
    scoreMean = tf.withName("score_mean_logp").math.div(scoreSum, tf.math.maximum(lengths, one));

    // ---- policy-gradient loss: mean_i [ -A_i sum_t logp / T_max + beta sum_t k3 / T_max ] + w_head * MSE(head)
    Placeholder<TFloat32> adv = tf.withName(ADVANTAGES).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TFloat32> ref =
        tf.withName(REF_LOGP).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, t))); // (N, T)
    Placeholder<TFloat32> beta = tf.withName(KL_BETA).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Placeholder<TFloat32> headW =
        tf.withName(HEAD_WEIGHT).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Placeholder<TFloat32> rewards = tf.withName(REWARDS).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TFloat32> oldLogp =
        tf.withName(OLD_LOGP).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, t))); // (N, T)
    Placeholder<TFloat32> ratioW = // (3): one-hot weights of the NONE, TOKEN_CLIP and SEQUENCE_CLIP losses
        tf.withName(RATIO_WEIGHTS).placeholder(TFloat32.class, Placeholder.shape(Shape.of(3)));
    Placeholder<TFloat32> clipRange = // (2): 1 - epsLow, 1 + epsHigh
        tf.withName(CLIP_RANGE).placeholder(TFloat32.class, Placeholder.shape(Shape.of(2)));
    Operand<TFloat32> invT = tf.constant(1f / t);
    Operand<TFloat32> lo = tf.gather(clipRange, tf.constant(0), tf.constant(0));
    Operand<TFloat32> hi = tf.gather(clipRange, tf.constant(1), tf.constant(0));
    Operand<TFloat32> advCol = tf.expandDims(adv, tf.constant(1)); // (N, 1)
    Operand<TFloat32> maxLog = tf.constant(20f);
    // plain: -A sum_t logp / T_max
    Operand<TFloat32> plain = tf.math.mean(tf.math.mul(tf.math.neg(tf.math.mul(adv, scoreSum)), invT),
        tf.constant(0));
    // token clip: -sum_t min(r_t A, clip(r_t) A) / T_max
    Operand<TFloat32> tokRatio = tf.math.exp(tf.math.minimum(tf.math.maximum(
        tf.math.sub(rawLogp, oldLogp), tf.math.neg(maxLog)), maxLog)); // (N, T)
    Operand<TFloat32> tokSurr = tf.math.minimum(tf.math.mul(tokRatio, advCol),
        tf.math.mul(tf.math.minimum(tf.math.maximum(tokRatio, lo), hi), advCol)); // (N, T)
    Operand<TFloat32> tokenClip = tf.math.mean(tf.math.mul(tf.math.neg(tf.sum(tf.math.mul(tokSurr, tmask),
        tf.constant(1))), invT), tf.constant(0));
    // sequence clip (GSPO): s = exp(mean_t (logp - old)), -min(s A, clip(s) A) |y| / T_max
    Operand<TFloat32> len = tf.math.maximum(tf.sum(tmask, tf.constant(1)), one); // (N)
    Operand<TFloat32> seqLog = tf.math.div(tf.sum(tf.math.mul(tf.math.sub(rawLogp, oldLogp), tmask),
        tf.constant(1)), len); // (N)
    Operand<TFloat32> seqRatio = tf.math.exp(tf.math.minimum(tf.math.maximum(seqLog, tf.math.neg(maxLog)), maxLog));
    Operand<TFloat32> seqSurr = tf.math.minimum(tf.math.mul(seqRatio, adv),
        tf.math.mul(tf.math.minimum(tf.math.maximum(seqRatio, lo), hi), adv)); // (N)
    Operand<TFloat32> seqClip = tf.math.mean(tf.math.mul(tf.math.neg(tf.math.mul(seqSurr, len)), invT),
        tf.constant(0));
    pgLoss = tf.math.add(tf.math.add(
        tf.math.mul(tf.gather(ratioW, tf.constant(0), tf.constant(0)), plain),
        tf.math.mul(tf.gather(ratioW, tf.constant(1), tf.constant(0)), tokenClip)),
        tf.math.mul(tf.gather(ratioW, tf.constant(2), tf.constant(0)), seqClip));
    Operand<TFloat32> d = tf.math.minimum(tf.math.sub(ref, rawLogp), tf.constant(30f)); // (N, T)
    Operand<TFloat32> k3 = tf.math.sub(tf.math.sub(tf.math.exp(d), d), one);
    klLoss = tf.math.mean(tf.math.mul(tf.sum(tf.math.mul(k3, tmask), tf.constant(1)), invT), tf.constant(0));

    // ---- confidence head on stop-gradient pooled features
    Operand<TFloat32> promptOneHot = tf.oneHot(prompts, tf.constant(v), one, zero); // (N, V)
    Operand<TFloat32> hh =
        tf.nn.relu(
            tf.math.add(
                tf.math.add(tf.linalg.matMul(tf.stopGradient(mem.pooled()), hw1.read()),
                    tf.linalg.matMul(promptOneHot, hp1.read())),
                hb1.read())); // (N, Hh)
    headPred =
        tf.withName("head_pred")
            .reshape(tf.math.sigmoid(tf.math.add(tf.linalg.matMul(hh, hw2.read()), hb2.read())), shape(tf, -1));
    headLoss = tf.math.mean(tf.math.squaredDifference(headPred, rewards), tf.constant(0));
    totalLoss =
        tf.withName("pg_total_loss")
            .math.add(tf.math.add(pgLoss, tf.math.mul(beta, klLoss)), tf.math.mul(headW, headLoss));
    List<Operand<TFloat32>> allReads = new ArrayList<>();
    List<Operand<TFloat32>> policyReads = new ArrayList<>();
    for (Param p : params) {
      allReads.add(p.read());
      if (!p.head()) {
        policyReads.add(p.read());
      }
    }
    pgGrads = tf.gradients(totalLoss, allReads).dy();

    // ---- SFT: token cross-entropy, mean over the real tokens of the batch
    sftLoss =
        tf.withName("sft_loss")
            .math.div(tf.math.neg(tf.sum(scoreTokenLogp, tf.constant(new int[] {0, 1}))),
                tf.math.maximum(tf.sum(tmask, tf.constant(new int[] {0, 1})), one));
    sftGrads = tf.gradients(sftLoss, policyReads).dy();

    // ---- in-graph sampler: Gumbel-max over logits / temperature
    Placeholder<TFloat32> temperature =
        tf.withName(TEMPERATURE).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Placeholder<TFloat32> noiseScale =
        tf.withName(NOISE_SCALE).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Placeholder<TInt64> seed = tf.withName(SEED).placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    Operand<TInt32> noiseShape =
        tf.concat(List.of(tf.constant(new int[] {t}), tf.shape(prompts), tf.constant(new int[] {v})), tf.constant(0));
    Operand<TFloat32> u =
        tf.math.minimum(
            tf.math.maximum(tf.random.statelessRandomUniform(noiseShape, seed), tf.constant(1e-7f)),
            tf.constant(1f - 1e-7f)); // (T, N, V)
    Operand<TFloat32> gumbel = tf.math.neg(tf.math.log(tf.math.neg(tf.math.log(u))));
    List<Operand<TFloat32>> noise = unstack(tf, gumbel, t, 0);
    Operand<TFloat32> input = promptOneHot;
    hs = mem.h0();
    ctx = mem.ctx0();
    Operand<TBool> done = tf.math.notEqual(prompts, prompts); // (N) all false
    Operand<TInt32> padTok = tf.constant(cfg.padId());
    Operand<TInt32> endTok = tf.constant(cfg.endId());
    List<Operand<TInt32>> toks = new ArrayList<>();
    List<Operand<TFloat32>> logps = new ArrayList<>();
    Operand<TFloat32> invTemp = tf.math.div(one, temperature);
    for (int i = 0; i < t; i++) {
      Operand<TFloat32>[] out = step(tf, dec, mem, tf.linalg.matMul(input, dec.emb()), hs, ctx);
      hs = out[1];
      ctx = out[2];
      Operand<TFloat32> logsm = tf.nn.logSoftmax(out[0]); // (N, V), temperature 1
      Operand<TFloat32> perturbed =
          tf.math.add(tf.math.mul(out[0], invTemp), tf.math.mul(noiseScale, noise.get(i)));
      Operand<TInt32> tok = tf.math.argMax(perturbed, tf.constant(1), TInt32.class); // (N)
      Operand<TInt32> emitted = tf.select(done, tf.fill(tf.shape(tok), padTok), tok); // <pad> after <end>
      Operand<TFloat32> oh = tf.oneHot(emitted, tf.constant(v), one, zero); // (N, V)
      Operand<TFloat32> notDone = tf.dtypes.cast(tf.math.logicalNot(done), TFloat32.class); // (N)
      logps.add(tf.math.mul(tf.sum(tf.math.mul(logsm, oh), tf.constant(1)), notDone));
      toks.add(emitted);
      done = tf.math.logicalOr(done, tf.math.equal(emitted, endTok));
      input = oh;
    }
    sampleTokens = tf.withName("sample_tokens").stack(toks, Stack_axis(1)); // (N, T)
    sampleLogp = tf.withName("sample_token_logp").stack(logps, Stack_axis(1)); // (N, T)

    this.signatureInputs = List.of(images, prompts, targets, tmask, temperature, noiseScale, seed);
  }

  private static org.tensorflow.op.core.Stack.Options Stack_axis(long axis) {
    return org.tensorflow.op.core.Stack.axis(axis);
  }

  private static <T extends org.tensorflow.types.family.TType> List<Operand<T>> unstack(
      Ops tf, Operand<T> x, int num) {
    return unstack(tf, x, num, 1);
  }

  private static <T extends org.tensorflow.types.family.TType> List<Operand<T>> unstack(
      Ops tf, Operand<T> x, int num, long axis) {
    List<Operand<T>> out = new ArrayList<>();
    for (Output<T> o : tf.unstack(x, (long) num, org.tensorflow.op.core.Unstack.axis(axis)).output()) {
      out.add(o);
    }
    return out;
  }

  /** One decoder step from the input token's embedding (N, E): returns {logits (N, V), hidden (N, H), context (N, A)}. */
  @SuppressWarnings("unchecked")
  private Operand<TFloat32>[] step(Ops tf, Decoder d, Memory m, Operand<TFloat32> e, Operand<TFloat32> h,
      Operand<TFloat32> ctxPrev) {
    Operand<TInt32> lastAxis = tf.constant(1);
    Operand<TFloat32> xin = tf.concat(List.of(e, ctxPrev), lastAxis); // (N, E + A)
    List<Output<TFloat32>> gx = tf.split(lastAxis, tf.math.add(tf.linalg.matMul(xin, d.wx()), d.b()), 3L).output();
    List<Output<TFloat32>> gh = tf.split(lastAxis, tf.linalg.matMul(h, d.wh()), 3L).output(); // 3 x (N, H)
    Operand<TFloat32> z = tf.math.sigmoid(tf.math.add(gx.get(0), gh.get(0)));
    Operand<TFloat32> r = tf.math.sigmoid(tf.math.add(gx.get(1), gh.get(1)));
    Operand<TFloat32> n = tf.math.tanh(tf.math.add(gx.get(2), tf.math.mul(r, gh.get(2))));
    Operand<TFloat32> hNew = tf.math.add(n, tf.math.mul(z, tf.math.sub(h, n))); // (1-z) n + z h
    Operand<TFloat32> q = tf.linalg.matMul(hNew, d.wq()); // (N, A)
    Operand<TFloat32> scores =
        tf.math.mul(
            tf.sum(tf.math.mul(m.keys(), tf.expandDims(q, tf.constant(1))), tf.constant(2)),
            tf.constant((float) (1.0 / Math.sqrt(cfg.attentionSize())))); // (N, L)
    Operand<TFloat32> alpha = tf.nn.softmax(scores);
    Operand<TFloat32> ctx = tf.sum(tf.math.mul(m.values(), tf.expandDims(alpha, tf.constant(2))), tf.constant(1));
    Operand<TFloat32> o =
        tf.math.tanh(tf.math.add(tf.linalg.matMul(tf.concat(List.of(hNew, ctx), lastAxis), d.wo()), d.bo())); // (N, H)
    Operand<TFloat32> logits =
        tf.math.add(tf.math.add(tf.linalg.matMul(o, d.wout()), d.bout()), d.logitMask()); // (N, V)
    return new Operand[] {logits, hNew, ctx};
  }

  /** Normalized cell-center coordinates and their low-frequency sinusoids, (L, 10), row-major cells. */
  private static float[][] positionFeatures(int g) {
    float[][] f = new float[g * g][POS_FEATURES];
    for (int yi = 0; yi < g; yi++) {
      for (int xi = 0; xi < g; xi++) {
        double x = 2.0 * (xi + 0.5) / g - 1;
        double y = 2.0 * (yi + 0.5) / g - 1;
        float[] row = f[yi * g + xi];
        row[0] = (float) x;
        row[1] = (float) y;
        int k = 2;
        for (int freq = 1; freq <= 2; freq++) {
          row[k++] = (float) Math.sin(Math.PI * freq * x);
          row[k++] = (float) Math.cos(Math.PI * freq * x);
          row[k++] = (float) Math.sin(Math.PI * freq * y);
          row[k++] = (float) Math.cos(Math.PI * freq * y);
        }
      }
    }
    return f;
  }

  private float[] initialWeights(Random rnd) {
    float[] w = new float[weights.length];
    for (Param p : params) {
      long[] dims = p.shape().asArray();
      if (dims.length == 1) {
        continue; // biases start at zero
      }
      double fanIn;
      double fanOut;
      if (dims.length == 4) {
        fanIn = dims[0] * dims[1] * dims[2];
        fanOut = dims[0] * dims[1] * dims[3];
      } else {
        fanIn = dims[0];
        fanOut = dims[1];
      }
      double limit = Math.sqrt(6.0 / (fanIn + fanOut));
      if (p.name().equals("embedding") || p.name().equals("head1_prompt")) {
        limit = 0.1;
      }
      for (int i = 0; i < p.size(); i++) {
        w[p.offset() + i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
      }
    }
    return w;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Weights

  /** Number of float parameters (the flat vector's length), confidence head included. */
  public int parameterCount() {
    return weights.length;
  }

  /** A copy of all weights in flat order. */
  public float[] getFlatWeights() {
    return weights.clone();
  }

  /** Replaces all weights. */
  public void setFlatWeights(float[] flat) {
    if (flat.length != weights.length) {
      throw new IllegalArgumentException("flat weights length " + flat.length + " != parameterCount " + weights.length);
    }
    if (!saliency.model.optim.Adam.allFinite(flat)) {
      throw new IllegalArgumentException("flat weights contain a non-finite value");
    }
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(flat.length), DataBuffers.of(flat, true, false))) {
      Session.Runner r = session.runner().feed(FLAT_WEIGHTS, t);
      for (String op : assignOps) {
        r.addTarget(op);
      }
      r.run().close();
    }
    System.arraycopy(flat, 0, weights, 0, flat.length);
  }

  /** Replaces {@code values.length} weights starting at {@code offset} (a learner shard's slice). */
  public void setSlice(int offset, float[] values) {
    if (offset < 0 || offset + values.length > weights.length) {
      throw new IllegalArgumentException(
          "slice [" + offset + ", " + (offset + values.length) + ") outside [0, " + weights.length + ")");
    }
    float[] w = weights.clone();
    System.arraycopy(values, 0, w, offset, values.length);
    setFlatWeights(w);
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
    List<String> out = new ArrayList<>();
    for (Param p : params) {
      out.add(p.name() + " " + p.shape() + " @" + p.offset() + (p.head() ? " (head)" : ""));
    }
    return out;
  }

  /** [offset, end) of the confidence head's weights in the flat vector (they come last). */
  public int[] headRange() {
    for (Param p : params) {
      if (p.head()) {
        return new int[] {p.offset(), weights.length};
      }
    }
    return new int[] {weights.length, weights.length};
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Inference

  private TFloat32 imageTensor(float[] images, int n) {
    int[] d = cfg.inputShape();
    long expect = (long) n * d[0] * d[1] * d[2];
    if (n <= 0 || images.length != expect) {
      if (cfg.isMobileNet()) {
        int s = cfg.imageSize();
        throw new IllegalArgumentException("images: the " + PolicyConfig.MOBILENET_V2 + " encoder takes precomputed "
            + "frozen features, n*G*G*C = " + n + "*" + d[0] + "*" + d[1] + "*" + d[2] + " = " + expect
            + " floats, got " + images.length + (images.length == (long) n * s * s * 3 ? " (that is n raw "
            + s + "x" + s + " RGB images: compute the features first)" : ""));
      }
      throw new IllegalArgumentException("images: expected n*S*S*3 = " + n + "*" + d[0] + "*" + d[1] + "*3 = "
          + expect + " floats, got " + images.length);
    }
    return TFloat32.tensorOf(Shape.of(n, d[0], d[1], d[2]), DataBuffers.of(images, true, false));
  }

  private TInt32 promptTensor(int[] prompts, int n) {
    if (prompts.length != n) {
      throw new IllegalArgumentException("promptTokens: expected " + n + " ids, got " + prompts.length);
    }
    for (int p : prompts) {
      checkToken("promptTokens", p);
    }
    return TInt32.tensorOf(Shape.of(n), DataBuffers.of(prompts, true, false));
  }

  private void checkToken(String field, int id) {
    if (id < 0 || id >= cfg.vocabSize()) {
      throw new IllegalArgumentException(field + ": token id " + id + " outside [0, " + cfg.vocabSize() + ")");
    }
  }

  /**
   * Samples one completion per image in one session call.
   *
   * @param images n images, (n, S, S, 3) row-major floats in [0,1]; with the {@code mobilenet_v2} encoder their
   *     frozen features instead, (n, G, G, C) (see {@link PolicyConfig#inputShape()})
   * @param promptTokens one task token per image (the decoder's first input)
   * @param temperature sampling temperature (> 0); ignored when greedy
   * @param greedy argmax decoding
   * @param seed stateless random seed: the same seed, weights and inputs give the same samples
   */
  public Samples sample(float[] images, int n, int[] promptTokens, double temperature, boolean greedy, long seed) {
    return sampleRun(images, n, promptTokens, temperature, greedy, seed, null);
  }

  /** Sampled completions and the confidence head's predicted reward per row, from one session call. */
  public record SamplesWithConfidence(Samples samples, float[] confidence) {}

  /**
   * As {@link #sample}, also fetching the confidence head's predicted reward in (0, 1) per row in the same session
   * call (the head reads the image and prompt only, so it is the same for every completion of a row).
   */
  public SamplesWithConfidence sampleWithConfidence(float[] images, int n, int[] promptTokens, double temperature,
      boolean greedy, long seed) {
    float[] head = new float[n];
    Samples s = sampleRun(images, n, promptTokens, temperature, greedy, seed, head);
    return new SamplesWithConfidence(s, head);
  }

  private Samples sampleRun(float[] images, int n, int[] promptTokens, double temperature, boolean greedy, long seed,
      float[] headOut) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    int t = cfg.maxLen();
    int[] tok = new int[n * t];
    float[] lp = new float[n * t];
    try (TFloat32 img = imageTensor(images, n);
        TInt32 pr = promptTensor(promptTokens, n);
        TFloat32 temp = TFloat32.scalarOf((float) temperature);
        TFloat32 ns = TFloat32.scalarOf(greedy ? 0f : 1f);
        TInt64 sd = TInt64.vectorOf(seed, 0x5A11E7CEL);
        Result r =
            withHead(session.runner()
                .feed(IMAGES, img)
                .feed(PROMPTS, pr)
                .feed(TEMPERATURE, temp)
                .feed(NOISE_SCALE, ns)
                .feed(SEED, sd)
                .fetch(sampleTokens)
                .fetch(sampleLogp), headOut != null)
                .run()) {
      ((TInt32) r.get(0)).copyTo(DataBuffers.of(tok, false, false));
      ((TFloat32) r.get(1)).copyTo(DataBuffers.of(lp, false, false));
      if (headOut != null) {
        ((TFloat32) r.get(2)).copyTo(DataBuffers.of(headOut, false, false));
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

  private Session.Runner withHead(Session.Runner r, boolean head) {
    return head ? r.fetch(headPred) : r;
  }

  /** Batch tensors of completions: targets (N, T) padded with {@code <pad>}, and the real-token mask. */
  private record Batch(int[] targets, float[] mask) {}

  private Batch batch(int n, int[][] completions) {
    if (completions.length != n) {
      throw new IllegalArgumentException("completions: expected " + n + ", got " + completions.length);
    }
    int t = cfg.maxLen();
    int[] tg = new int[n * t];
    float[] mk = new float[n * t];
    Arrays.fill(tg, cfg.padId());
    for (int i = 0; i < n; i++) {
      int[] c = completions[i];
      if (c.length == 0 || c.length > t) {
        throw new IllegalArgumentException("completion " + i + ": length " + c.length + " outside [1, " + t + "]");
      }
      for (int j = 0; j < c.length; j++) {
        checkToken("completion " + i, c[j]);
        if (c[j] == cfg.padId()) {
          throw new IllegalArgumentException("completion " + i + ": <pad> at position " + j + " (trim before scoring)");
        }
        tg[i * t + j] = c[j];
        mk[i * t + j] = 1f;
      }
    }
    return new Batch(tg, mk);
  }

  /** Teacher-forced log-probabilities of the given completions (each 1..maxLen tokens, no {@code <pad>}). */
  public Scores score(float[] images, int n, int[] promptTokens, int[][] completions) {
    Batch b = batch(n, completions);
    int t = cfg.maxLen();
    float[] lp = new float[n * t];
    float[] sum = new float[n];
    float[] mean = new float[n];
    try (TFloat32 img = imageTensor(images, n);
        TInt32 pr = promptTensor(promptTokens, n);
        TInt32 tg = TInt32.tensorOf(Shape.of(n, t), DataBuffers.of(b.targets(), true, false));
        TFloat32 mk = TFloat32.tensorOf(Shape.of(n, t), DataBuffers.of(b.mask(), true, false));
        Result r =
            session.runner()
                .feed(IMAGES, img)
                .feed(PROMPTS, pr)
                .feed(TARGETS, tg)
                .feed(MASK, mk)
                .fetch(scoreTokenLogp)
                .fetch(scoreSum)
                .fetch(scoreMean)
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
  public float[] predictConfidence(float[] images, int n, int[] promptTokens) {
    float[] out = new float[n];
    try (TFloat32 img = imageTensor(images, n);
        TInt32 pr = promptTensor(promptTokens, n);
        Result r = session.runner().feed(IMAGES, img).feed(PROMPTS, pr).fetch(headPred).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
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
    Objects.requireNonNull(settings, "settings");
    if (oldTokenLogp == null && settings.ratio() != Ratio.NONE) {
      throw new IllegalArgumentException("ratio " + settings.ratio() + " needs the sampling-time log-probabilities");
    }
    float[] oldFlat = new float[n * cfg.maxLen()];
    if (oldTokenLogp != null) {
      if (oldTokenLogp.length != n) {
        throw new IllegalArgumentException("oldTokenLogp: expected " + n + " rows, got " + oldTokenLogp.length);
      }
      for (int i = 0; i < n; i++) {
        if (oldTokenLogp[i].length != completions[i].length) {
          throw new IllegalArgumentException("oldTokenLogp row " + i + ": length " + oldTokenLogp[i].length
              + " != completion length " + completions[i].length);
        }
        System.arraycopy(oldTokenLogp[i], 0, oldFlat, i * cfg.maxLen(), oldTokenLogp[i].length);
      }
    }
    float[] ratioWeights = new float[3];
    ratioWeights[settings.ratio().ordinal()] = 1f;
    float[] clip = {(float) (1 - settings.epsLow()), (float) (1 + settings.epsHigh())};
    if (advantages.length != n) {
      throw new IllegalArgumentException("advantages: expected " + n + ", got " + advantages.length);
    }
    if (rewards != null && rewards.length != n) {
      throw new IllegalArgumentException("rewards: expected " + n + ", got " + rewards.length);
    }
    Batch b = batch(n, completions);
    int t = cfg.maxLen();
    float[] refFlat = new float[n * t];
    if (refTokenLogp != null) {
      if (refTokenLogp.length != n) {
        throw new IllegalArgumentException("refTokenLogp: expected " + n + " rows, got " + refTokenLogp.length);
      }
      for (int i = 0; i < n; i++) {
        if (refTokenLogp[i].length != completions[i].length) {
          throw new IllegalArgumentException("refTokenLogp row " + i + ": length " + refTokenLogp[i].length
              + " != completion length " + completions[i].length);
        }
        System.arraycopy(refTokenLogp[i], 0, refFlat, i * t, refTokenLogp[i].length);
      }
    }
    if (settings.coordinatesOnly()) {
      int[] tg = b.targets();
      float[] mk = b.mask();
      for (int k = 0; k < tg.length; k++) {
        if (tg[k] < saliency.model.text.Vocabulary.FIRST_COORD) {
          mk[k] = 0f;
        }
      }
    }
    float beta = refTokenLogp == null ? 0f : (float) settings.klBeta();
    float headW = rewards == null ? 0f : (float) settings.headWeight();
    float[] rw = rewards == null ? new float[n] : rewards;
    float[] flat = new float[weights.length];
    float[] losses = new float[4];
    try (TFloat32 img = imageTensor(images, n);
        TInt32 pr = promptTensor(prompts, n);
        TInt32 tg = TInt32.tensorOf(Shape.of(n, t), DataBuffers.of(b.targets(), true, false));
        TFloat32 mk = TFloat32.tensorOf(Shape.of(n, t), DataBuffers.of(b.mask(), true, false));
        TFloat32 ad = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(advantages, true, false));
        TFloat32 rf = TFloat32.tensorOf(Shape.of(n, t), DataBuffers.of(refFlat, true, false));
        TFloat32 bt = TFloat32.scalarOf(beta);
        TFloat32 hw = TFloat32.scalarOf(headW);
        TFloat32 rt = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(rw, true, false));
        TFloat32 ol = TFloat32.tensorOf(Shape.of(n, t), DataBuffers.of(oldFlat, true, false));
        TFloat32 rwt = TFloat32.tensorOf(Shape.of(3), DataBuffers.of(ratioWeights, true, false));
        TFloat32 cr = TFloat32.tensorOf(Shape.of(2), DataBuffers.of(clip, true, false))) {
      Session.Runner run =
          session.runner()
              .feed(IMAGES, img)
              .feed(PROMPTS, pr)
              .feed(TARGETS, tg)
              .feed(MASK, mk)
              .feed(ADVANTAGES, ad)
              .feed(REF_LOGP, rf)
              .feed(KL_BETA, bt)
              .feed(HEAD_WEIGHT, hw)
              .feed(REWARDS, rt)
              .feed(OLD_LOGP, ol)
              .feed(RATIO_WEIGHTS, rwt)
              .feed(CLIP_RANGE, cr)
              .fetch(totalLoss)
              .fetch(pgLoss)
              .fetch(klLoss)
              .fetch(headLoss);
      for (Output<?> gr : pgGrads) {
        run.fetch(gr);
      }
      try (Result r = run.run()) {
        for (int k = 0; k < 4; k++) {
          losses[k] = ((TFloat32) r.get(k)).getFloat();
        }
        for (int i = 0; i < params.size(); i++) {
          Param p = params.get(i);
          ((TFloat32) r.get(4 + i)).copyTo(DataBuffers.of(flat, false, false).slice(p.offset(), p.size()));
        }
      }
    }
    return new Gradients(flat, losses[0], losses[1], beta * losses[2], headW * losses[3]);
  }

  /** Gradient of the token cross-entropy (mean over the batch's real tokens); the head's entries are zero. */
  public Gradients sftGradients(float[] images, int n, int[] prompts, int[][] targets) {
    Batch b = batch(n, targets);
    int t = cfg.maxLen();
    float[] flat = new float[weights.length];
    float loss;
    try (TFloat32 img = imageTensor(images, n);
        TInt32 pr = promptTensor(prompts, n);
        TInt32 tg = TInt32.tensorOf(Shape.of(n, t), DataBuffers.of(b.targets(), true, false));
        TFloat32 mk = TFloat32.tensorOf(Shape.of(n, t), DataBuffers.of(b.mask(), true, false))) {
      Session.Runner run =
          session.runner().feed(IMAGES, img).feed(PROMPTS, pr).feed(TARGETS, tg).feed(MASK, mk).fetch(sftLoss);
      for (Output<?> gr : sftGrads) {
        run.fetch(gr);
      }
      try (Result r = run.run()) {
        loss = ((TFloat32) r.get(0)).getFloat();
        int k = 1;
        for (Param p : params) {
          if (!p.head()) {
            ((TFloat32) r.get(k++)).copyTo(DataBuffers.of(flat, false, false).slice(p.offset(), p.size()));
          }
        }
      }
    }
    return new Gradients(flat, loss, 0, 0, 0);
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
    if (Files.exists(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException("SavedModel directory is not empty: " + dir);
        }
      }
    }
    List<Operand<?>> ph = signatureInputs;
    Signature sampleSig =
        Signature.builder(SAMPLE_SIGNATURE)
            .input(IMAGES, ph.get(0))
            .input(PROMPTS, ph.get(1))
            .input(TEMPERATURE, ph.get(4))
            .input(NOISE_SCALE, ph.get(5))
            .input(SEED, ph.get(6))
            .output("tokens", sampleTokens)
            .output("token_logp", sampleLogp)
            .build();
    Signature scoreSig =
        Signature.builder(SCORE_SIGNATURE)
            .input(IMAGES, ph.get(0))
            .input(PROMPTS, ph.get(1))
            .input(TARGETS, ph.get(2))
            .input(MASK, ph.get(3))
            .output("token_logp", scoreTokenLogp)
            .output("sum_logp", scoreSum)
            .output("mean_logp", scoreMean)
            .build();
    SavedModelBundle.exporter(dir.toString()).withSession(session).withSignatures(sampleSig, scoreSig).export();
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
