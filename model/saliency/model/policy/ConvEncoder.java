package saliency.model.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The image encoder of the policy graph: convolutions to a {@code (N, G, G, C)} grid, attention keys and values with
 * position features, and the decoder's initial state; its weights are declared in the {@link ParameterLayout} that
 * {@link PolicyGraph} owns.
 *
 * <p>{@code conv}: 3x3 stride-2 convolutions from RGB; {@code mobilenet_v2}: a 1x1 projection of the frozen features,
 * then 3x3 stride-1 convolutions (the frozen MobileNetV2 weights live outside this graph and the flat vector).
 *
 * <p>With a group context ({@link PolicyConfig#groupContext()} K > 0) the input is K images per example: all are
 * encoded, their grids pooled and averaged into the group context {@code (N, C)} (a constant in the gradient), and the
 * example's own grid (the first image's) has its channels scaled by {@code 1 + tanh(context W_g + b_g)}, in (0, 2), so
 * the channels of what the group shares can stand out before attention.
 */
final class ConvEncoder {

  static final int POS_FEATURES = 10;
  /** Name of the group context op, {@code (N, C)}. */
  static final String GROUP_CONTEXT = "group_context";

  /** Encoder outputs for one image batch. */
  record Memory(Operand<TFloat32> keys, Operand<TFloat32> values, Operand<TFloat32> h0, Operand<TFloat32> ctx0,
      Operand<TFloat32> pooled) {}

  private final PolicyConfig cfg;
  private final List<ParameterLayout.Param[]> convs = new ArrayList<>();
  private final List<Long> strides;
  private final int channels;
  private final ParameterLayout.Param wk;
  private final ParameterLayout.Param wpk;
  private final ParameterLayout.Param bk;
  private final ParameterLayout.Param wv;
  private final ParameterLayout.Param wpv;
  private final ParameterLayout.Param bv;
  private final ParameterLayout.Param wh0;
  private final ParameterLayout.Param bh0;
  private final ParameterLayout.Param wg; // (C, C), null without a group context
  private final ParameterLayout.Param bg; // (C)

  /** Declares the encoder's weights, in flat order. */
  ConvEncoder(Ops tf, ParameterLayout layout, PolicyConfig cfg) {
    Objects.requireNonNull(tf, "tf");
    Objects.requireNonNull(layout, "layout");
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    boolean frozen = cfg.isMobileNet();
    int cin = cfg.inputShape()[2];
    for (int i = 0; i < cfg.encoderChannels().size(); i++) {
      int cout = cfg.encoderChannels().get(i);
      int k = frozen && i == 0 ? 1 : 3;
      String name = (frozen ? "proj" : "conv") + i;
      convs.add(new ParameterLayout.Param[] {layout.add(tf, name, false, k, k, cin, cout),
          layout.add(tf, name + "_b", false, cout)});
      cin = cout;
    }
    this.strides = frozen ? List.of(1L, 1L, 1L, 1L) : List.of(1L, 2L, 2L, 1L);
    this.channels = cin;
    int c = cin;
    int a = cfg.attentionSize();
    int h = cfg.decoderHidden();
    this.wk = layout.add(tf, "att_key", false, c, a);
    this.wpk = layout.add(tf, "att_key_pos", false, POS_FEATURES, a);
    this.bk = layout.add(tf, "att_key_b", false, a);
    this.wv = layout.add(tf, "att_val", false, c, a);
    this.wpv = layout.add(tf, "att_val_pos", false, POS_FEATURES, a);
    this.bv = layout.add(tf, "att_val_b", false, a);
    this.wh0 = layout.add(tf, "h0", false, c, h);
    this.bh0 = layout.add(tf, "h0_b", false, h);
    this.wg = cfg.hasGroupContext() ? layout.add(tf, "group_gate", false, c, c) : null;
    this.bg = cfg.hasGroupContext() ? layout.add(tf, "group_gate_b", false, c) : null;
  }

  /** Channels C of the encoder grid (the confidence head's input width). */
  int channels() {
    return channels;
  }

  /**
   * Encodes {@code images} (N, S, S, 3), or frozen features (N, G, G, Cf), into the decoder's memory; with a group
   * context {@code images} is (N, K, S, S, 3) or (N, K, G, G, Cf).
   */
  Memory encode(Ops tf, Operand<TFloat32> images) {
    int a = cfg.attentionSize();
    int g = cfg.gridSize();
    int l = g * g;
    int c = channels;
    Operand<TFloat32> x = wg == null ? convolve(tf, images) : groupGated(tf, images); // (N, G, G, C)
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
    return new Memory(keys, values, h0, ctx0, pooled);
  }

  /** The convolution stack: (M, S, S, 3) or (M, G, G, Cf) to the grid (M, G, G, C). */
  private Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> x = images;
    for (ParameterLayout.Param[] conv : convs) {
      x = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, conv[0].read(), strides, "SAME"), conv[1].read()));
    }
    return x;
  }

  /** The own grid of each example gated by its group context (see the class comment). */
  private Operand<TFloat32> groupGated(Ops tf, Operand<TFloat32> images) {
    int[] d = cfg.inputShape();
    int k = cfg.imagesPerExample();
    int g = cfg.gridSize();
    int c = channels;
    Operand<TFloat32> all = convolve(tf, tf.reshape(images, shape(tf, -1, d[0], d[1], d[2]))); // (N*K, G, G, C)
    Operand<TFloat32> grouped = tf.reshape(all, shape(tf, -1, k, g, g, c)); // (N, K, G, G, C)
    Operand<TFloat32> own = tf.reshape(
        tf.slice(grouped, tf.constant(new int[] {0, 0, 0, 0, 0}), tf.constant(new int[] {-1, 1, -1, -1, -1})),
        shape(tf, -1, g, g, c)); // (N, G, G, C)
    Operand<TFloat32> context = tf.withName(GROUP_CONTEXT)
        .stopGradient(tf.math.mean(grouped, tf.constant(new int[] {1, 2, 3}))); // (N, C)
    Operand<TFloat32> gate = tf.math.add(tf.constant(1f),
        tf.math.tanh(tf.math.add(tf.linalg.matMul(context, wg.read()), bg.read()))); // (N, C), in (0, 2)
    return tf.math.mul(own, tf.reshape(gate, shape(tf, -1, 1, 1, c))); // (N, G, G, C)
  }

  static Operand<TInt32> shape(Ops tf, int... dims) {
    return tf.constant(dims);
  }

  /** Normalized cell-center coordinates and their low-frequency sinusoids, (L, 10), row-major cells. */
  static float[][] positionFeatures(int g) {
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
}
