package saliency.model.policy;

import java.util.Objects;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The policy's TensorFlow graph and its endpoints: the weights and their assign ops, the encoder, the teacher-forced
 * scoring unroll, the loss terms and their gradients, the confidence head and the sampling unroll, with shared
 * weights; built once into the {@link Graph} that {@link PolicyNetwork} owns, then read-only.
 */
final class PolicyGraph {

  // Placeholder names (also the SavedModel signatures' input names).
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

  /** The confidence head's weights, in flat order (they come last). */
  private record HeadWeights(ParameterLayout.Param w1, ParameterLayout.Param prompt1, ParameterLayout.Param b1,
      ParameterLayout.Param w2, ParameterLayout.Param b2) {}

  final ParameterLayout layout = new ParameterLayout();
  final Placeholder<TFloat32> images; // (N, S, S, 3), or frozen features (N, G, G, Cf); (N, K, ...) with a group context
  final Placeholder<TInt32> prompts; // (N)
  final Placeholder<TInt32> targets; // (N, T), padded with <pad>
  final Placeholder<TFloat32> mask; // (N, T), 1 on real tokens
  final AttentionDecoder.Scoring scoring;
  final LossGraph losses;
  final Operand<TFloat32> headPred; // (N), in (0, 1)
  final LossGraph.Objectives objectives;
  final Placeholder<TFloat32> temperature; // ()
  final Placeholder<TFloat32> noiseScale; // (): 0 greedy, 1 sampling
  final Placeholder<TInt64> seed; // (2)
  final AttentionDecoder.Sampled sampled;

  /** Builds the whole graph into {@code graph}. */
  PolicyGraph(Graph graph, PolicyConfig cfg) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(cfg, "cfg");
    Ops tf = Ops.create(graph).withDevice(device(cfg.device()));
    int t = cfg.maxLen();
    int v = cfg.vocabSize();

    // ---- parameters, in flat order, and one assign op per tensor from the flat vector
    ConvEncoder encoder = new ConvEncoder(tf, layout, cfg);
    AttentionDecoder.Weights decoderWeights = AttentionDecoder.Weights.declare(tf, layout, cfg);
    HeadWeights head = declareHead(tf, encoder.channels(), cfg);
    layout.addAssignOps(tf, tf.withName(FLAT_WEIGHTS).placeholder(TFloat32.class));

    // ---- inputs and encoder
    int[] in = cfg.inputShape();
    Shape imageShape = cfg.hasGroupContext() ? Shape.of(-1, cfg.imagesPerExample(), in[0], in[1], in[2])
        : Shape.of(-1, in[0], in[1], in[2]);
    images = tf.withName(IMAGES).placeholder(TFloat32.class, Placeholder.shape(imageShape));
    prompts = tf.withName(PROMPTS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    ConvEncoder.Memory memory = encoder.encode(tf, images);
    AttentionDecoder decoder = new AttentionDecoder(tf, cfg, decoderWeights, memory);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> zero = tf.constant(0f);

    // ---- teacher-forced scoring and the losses on it
    targets = tf.withName(TARGETS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, t)));
    mask = tf.withName(MASK).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, t)));
    scoring = decoder.teacherForced(prompts, targets, mask, one, zero);
    losses = new LossGraph(tf, t, scoring, mask, one);
    Operand<TFloat32> promptOneHot = tf.oneHot(prompts, tf.constant(v), one, zero); // (N, V)
    headPred = confidenceHead(tf, head, memory.pooled(), promptOneHot);
    objectives = losses.objectives(headPred, layout);

    // ---- in-graph sampler
    temperature = tf.withName(TEMPERATURE).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    noiseScale = tf.withName(NOISE_SCALE).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    seed = tf.withName(SEED).placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    sampled = decoder.sample(prompts, promptOneHot, temperature, noiseScale, seed, one, zero);
  }

  private static DeviceSpec device(String dev) {
    return DeviceSpec.newBuilder()
        .deviceType(dev.startsWith("/GPU") ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU)
        .deviceIndex(Integer.parseInt(dev.substring(dev.indexOf(':') + 1)))
        .build();
  }

  private HeadWeights declareHead(Ops tf, int channels, PolicyConfig cfg) {
    int hh = cfg.headHidden();
    return new HeadWeights(
        layout.add(tf, "head1", true, channels, hh),
        layout.add(tf, "head1_prompt", true, cfg.vocabSize(), hh),
        layout.add(tf, "head1_b", true, hh),
        layout.add(tf, "head2", true, hh, 1),
        layout.add(tf, "head2_b", true, 1));
  }

  /** The confidence head: predicted reward in (0, 1) from the stop-gradient pooled features and the prompt. */
  private static Operand<TFloat32> confidenceHead(Ops tf, HeadWeights w, Operand<TFloat32> pooled,
      Operand<TFloat32> promptOneHot) {
    Operand<TFloat32> hh =
        tf.nn.relu(
            tf.math.add(
                tf.math.add(tf.linalg.matMul(tf.stopGradient(pooled), w.w1().read()),
                    tf.linalg.matMul(promptOneHot, w.prompt1().read())),
                w.b1().read())); // (N, Hh)
    return tf.withName("head_pred")
        .reshape(tf.math.sigmoid(tf.math.add(tf.linalg.matMul(hh, w.w2().read()), w.b2().read())),
            ConvEncoder.shape(tf, -1)); // (N)
  }
}
