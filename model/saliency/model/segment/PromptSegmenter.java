package saliency.model.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import saliency.model.text.Answer;

/**
 * The promptable segmenter of Seg-R1 mode (DESIGN §5): a small prompt-conditioned mask decoder over frozen MobileNetV2
 * hypercolumns (the 28x28x288 map of block 6 and the 14x14x816 map of block 13, upsampled) with the prompt drawn as
 * extra input channels (box, positive and negative point heat-maps, pixel position). It owns its TensorFlow graph,
 * session and weights; {@link #probabilities} may be called from several threads, training and weight changes from
 * one.
 *
 * <p>Per grid cell: {@code h1 = relu(W_f f + W_p p + b)} (64), two 3x3 convolutions (32, 32), a 1x1 logit. The feature
 * half {@code W_f f} does not depend on the prompt, so it is computed once per image ({@link #base}) and every prompt
 * then costs only the small layers.
 */
public final class PromptSegmenter implements AutoCloseable {
  /** Side of the output grid (the 28x28 map's). */
  public static final int GRID = 28;
  /** Channels of the 28x28 input map (expanded_conv_6/expand). */
  public static final int C28 = 288;
  /** Side and channels of the 14x14 input map (expanded_conv_13/expand). */
  public static final int G14 = 14;
  public static final int C14 = 816;
  /** Prompt channels per cell: box, positive points, negative points, x, y. */
  public static final int PROMPT_CHANNELS = 5;
  /** Width of the first hidden layer (the cached per-image base). */
  public static final int HIDDEN = 64;
  static final int HIDDEN2 = 32;
  /** Standard deviation of a point's heat-map, in grid cells. */
  static final double POINT_SIGMA = 1.5;
  static final float FEATURE_SCALE = 1f / 6f; // ReLU6 features to [0,1]

  // op names
  static final String F28 = "f28"; // (N, 28, 28, 288)
  static final String F14 = "f14"; // (N, 14, 14, 816)
  static final String PROMPT = "prompt"; // (N, 28, 28, 5)
  static final String TARGET = "target"; // (N, 28, 28, 1) soft ground truth in [0,1]
  static final String BASE = "base"; // (N, 28, 28, 64)
  static final String FLAT = "flat_weights";

  private record Param(String name, long[] shape, int offset, int size, Variable<TFloat32> variable,
      Operand<TFloat32> read) {}

  private final Graph graph;
  private final Session session;
  private final List<Param> params = new ArrayList<>();
  private final List<String> assignOps = new ArrayList<>();
  private final float[] weights;
  private Operand<TFloat32> base;
  private Operand<TFloat32> probs;
  private Operand<TFloat32> loss;
  private List<Output<?>> grads;

  private PromptSegmenter(int intraOpThreads) {
    graph = new Graph();
    try {
      build();
      Param last = params.get(params.size() - 1);
      weights = new float[last.offset() + last.size()];
      // own thread pools, not the process-wide inter-op pool the first session sizes (see PolicyNetwork)
      session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(intraOpThreads)
          .setInterOpParallelismThreads(1).setUsePerSessionThreads(true).build());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** A decoder with Glorot-uniform weights from {@code seed} and zero biases. */
  public static PromptSegmenter create(long seed, int intraOpThreads) {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
    }
    PromptSegmenter s = new PromptSegmenter(intraOpThreads);
    try {
      s.setWeights(s.initialWeights(new Random(seed)));
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Graph

  private Param param(Ops tf, String name, long... shape) {
    int size = (int) Shape.of(shape).size();
    int offset = params.isEmpty() ? 0 : params.get(params.size() - 1).offset() + params.get(params.size() - 1).size();
    Variable<TFloat32> v = tf.withName("w_" + name).variable(Shape.of(shape), TFloat32.class);
    Param p = new Param(name, shape, offset, size, v, tf.withName("r_" + name).identity(v));
    params.add(p);
    return p;
  }

  private void build() {
    Ops tf = Ops.create(graph);
    Param wf = param(tf, "feat", 1, 1, C28 + C14, HIDDEN);
    Param wp = param(tf, "prompt", 1, 1, PROMPT_CHANNELS, HIDDEN);
    Param b1 = param(tf, "b1", HIDDEN);
    Param w2 = param(tf, "conv2", 3, 3, HIDDEN, HIDDEN2);
    Param b2 = param(tf, "b2", HIDDEN2);
    Param w3 = param(tf, "conv3", 3, 3, HIDDEN2, HIDDEN2);
    Param b3 = param(tf, "b3", HIDDEN2);
    Param w4 = param(tf, "logit", 1, 1, HIDDEN2, 1);
    Param b4 = param(tf, "b4", 1);

    Placeholder<TFloat32> flat = tf.withName(FLAT).placeholder(TFloat32.class);
    for (Param p : params) {
      Operand<TFloat32> slice = tf.slice(flat, tf.constant(new int[] {p.offset()}), tf.constant(new int[] {p.size()}));
      tf.withName("assign_" + p.name()).assign(p.variable(), tf.reshape(slice, tf.constant(p.shape())));
      assignOps.add("assign_" + p.name());
    }

    Placeholder<TFloat32> f28 = tf.withName(F28).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, GRID, GRID, C28))); // (N, 28, 28, 288)
    Placeholder<TFloat32> f14 = tf.withName(F14).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, G14, G14, C14))); // (N, 14, 14, 816)
    Placeholder<TFloat32> prompt = tf.withName(PROMPT).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, GRID, GRID, PROMPT_CHANNELS))); // (N, 28, 28, 5)
    Placeholder<TFloat32> target = tf.withName(TARGET).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, GRID, GRID, 1))); // (N, 28, 28, 1)

    List<Long> one = List.of(1L, 1L, 1L, 1L);
    Operand<TFloat32> up = tf.image.resizeBilinear(f14, tf.constant(new int[] {GRID, GRID}),
        ResizeBilinear.halfPixelCenters(true)); // (N, 28, 28, 816)
    Operand<TFloat32> feats = tf.math.mul(tf.concat(List.of(f28, up), tf.constant(3)),
        tf.constant(FEATURE_SCALE)); // (N, 28, 28, 1104)
    base = tf.withName(BASE).identity(tf.nn.conv2d(feats, wf.read(), one, "SAME")); // (N, 28, 28, 64)
    Operand<TFloat32> h1 = tf.nn.relu(tf.nn.biasAdd(
        tf.math.add(base, tf.nn.conv2d(prompt, wp.read(), one, "SAME")), b1.read())); // (N, 28, 28, 64)
    Operand<TFloat32> h2 = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h1, w2.read(), one, "SAME"), b2.read()));
    Operand<TFloat32> h3 = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h2, w3.read(), one, "SAME"), b3.read()));
    Operand<TFloat32> logits = tf.nn.biasAdd(tf.nn.conv2d(h3, w4.read(), one, "SAME"), b4.read()); // (N,28,28,1)
    probs = tf.withName("probs").math.sigmoid(logits);
    // sigmoid cross-entropy with soft targets: max(x, 0) - x z + log(1 + exp(-|x|))
    Operand<TFloat32> ce = tf.math.add(
        tf.math.sub(tf.math.maximum(logits, tf.constant(0f)), tf.math.mul(logits, target)),
        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
    loss = tf.withName("loss").math.mean(ce, tf.constant(new int[] {0, 1, 2, 3}));
    List<Operand<?>> vars = new ArrayList<>();
    for (Param p : params) {
      vars.add(p.read());
    }
    grads = tf.gradients(loss, vars).dy();
  }

  private float[] initialWeights(Random rnd) {
    float[] w = new float[weights.length];
    for (Param p : params) {
      long[] d = p.shape();
      if (d.length == 1) {
        continue;
      }
      double fanIn = d[0] * d[1] * d[2];
      double fanOut = d[0] * d[1] * d[3];
      double limit = Math.sqrt(6.0 / (fanIn + fanOut));
      for (int i = 0; i < p.size(); i++) {
        w[p.offset() + i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
      }
    }
    return w;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Weights

  public int parameterCount() {
    return weights.length;
  }

  public float[] getWeights() {
    return weights.clone();
  }

  /** Replaces every weight; a wrong length or a non-finite value is an error. */
  public synchronized void setWeights(float[] flat) {
    if (flat.length != weights.length) {
      throw new IllegalArgumentException("segmenter weights: " + flat.length + " values, expected " + weights.length);
    }
    if (!saliency.model.optim.Adam.allFinite(flat)) {
      throw new IllegalArgumentException("segmenter weights contain a non-finite value");
    }
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(flat.length), DataBuffers.of(flat, true, false))) {
      Session.Runner r = session.runner().feed(FLAT, t);
      assignOps.forEach(r::addTarget);
      r.run().close();
    }
    System.arraycopy(flat, 0, weights, 0, flat.length);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Training

  /** The loss and its gradient (flat order) on a batch. */
  public record Step(double loss, float[] gradient) {}

  /**
   * Mean sigmoid cross-entropy of a batch and its gradient.
   *
   * @param f28 (n, 28, 28, 288) features; {@code f14} (n, 14, 14, 816); {@code prompts} (n, 28, 28, 5) from
   *     {@link #promptChannels}; {@code targets} (n, 28, 28) ground truth in [0,1]
   */
  public Step gradient(float[] f28, float[] f14, float[] prompts, float[] targets, int n) {
    check(f28, n * GRID * GRID * C28, "f28");
    check(f14, n * G14 * G14 * C14, "f14");
    check(prompts, n * GRID * GRID * PROMPT_CHANNELS, "prompts");
    check(targets, n * GRID * GRID, "targets");
    float[] g = new float[weights.length];
    try (TFloat32 a = t(f28, n, GRID, GRID, C28);
        TFloat32 b = t(f14, n, G14, G14, C14);
        TFloat32 p = t(prompts, n, GRID, GRID, PROMPT_CHANNELS);
        TFloat32 y = t(targets, n, GRID, GRID, 1)) {
      Session.Runner run = session.runner().feed(F28, a).feed(F14, b).feed(PROMPT, p).feed(TARGET, y).fetch(loss);
      grads.forEach(run::fetch);
      try (Result r = run.run()) {
        double l = ((TFloat32) r.get(0)).getFloat();
        for (int i = 0; i < params.size(); i++) {
          Param q = params.get(i);
          ((TFloat32) r.get(1 + i)).copyTo(DataBuffers.of(g, false, false).slice(q.offset(), q.size()));
        }
        return new Step(l, g);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Inference

  /** The prompt-independent first layer of one image ({@code 28*28*64} floats): compute once, reuse per prompt. */
  public float[] base(float[] f28, float[] f14) {
    check(f28, GRID * GRID * C28, "f28");
    check(f14, G14 * G14 * C14, "f14");
    float[] out = new float[GRID * GRID * HIDDEN];
    try (TFloat32 a = t(f28, 1, GRID, GRID, C28);
        TFloat32 b = t(f14, 1, G14, G14, C14);
        Result r = session.runner().feed(F28, a).feed(F14, b).fetch(base).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  /**
   * Foreground probabilities on the 28x28 grid (row-major, {@code n*784} floats) for {@code n} images given by their
   * {@link #base}s, each with its prompt channels.
   */
  public float[] probabilities(float[] bases, float[] prompts, int n) {
    check(bases, n * GRID * GRID * HIDDEN, "bases");
    check(prompts, n * GRID * GRID * PROMPT_CHANNELS, "prompts");
    float[] out = new float[n * GRID * GRID];
    try (TFloat32 a = t(bases, n, GRID, GRID, HIDDEN);
        TFloat32 p = t(prompts, n, GRID, GRID, PROMPT_CHANNELS);
        Result r = session.runner().feed(BASE, a).feed(PROMPT, p).fetch(probs).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  /**
   * The prompt drawn on the grid, {@code 28*28*5} floats (HWC): 1 inside the box (cell centres), the largest Gaussian
   * heat of the positive points, of the negative points, and the cell's normalized x and y.
   */
  public static float[] promptChannels(Answer.Prompt p) {
    Objects.requireNonNull(p, "prompt");
    float[] out = new float[GRID * GRID * PROMPT_CHANNELS];
    double[] box = p.box();
    double s2 = 2 * POINT_SIGMA * POINT_SIGMA;
    for (int y = 0; y < GRID; y++) {
      double cy = (y + 0.5) / GRID;
      for (int x = 0; x < GRID; x++) {
        double cx = (x + 0.5) / GRID;
        int o = (y * GRID + x) * PROMPT_CHANNELS;
        out[o] = cx >= box[0] && cx <= box[2] && cy >= box[1] && cy <= box[3] ? 1f : 0f;
        for (int k = 0; k < p.points().size(); k++) {
          double[] pt = p.points().get(k);
          double dx = (pt[0] * GRID - 0.5 - x);
          double dy = (pt[1] * GRID - 0.5 - y);
          float heat = (float) Math.exp(-(dx * dx + dy * dy) / s2);
          int ch = p.labels()[k] == 1 ? 1 : 2;
          out[o + ch] = Math.max(out[o + ch], heat);
        }
        out[o + 3] = (float) cx;
        out[o + 4] = (float) cy;
      }
    }
    return out;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  private static TFloat32 t(float[] v, int n, int h, int w, int c) {
    return TFloat32.tensorOf(Shape.of(n, h, w, c), DataBuffers.of(v, true, false));
  }

  private static void check(float[] v, int expect, String what) {
    Objects.requireNonNull(v, what);
    if (v.length != expect) {
      throw new IllegalArgumentException(what + ": " + v.length + " floats, expected " + expect);
    }
  }

  @Override
  public String toString() {
    return "PromptSegmenter[" + weights.length + " parameters, " + GRID + "x" + GRID + " grid]";
  }
}
