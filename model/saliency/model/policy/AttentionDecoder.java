package saliency.model.policy;

import static saliency.model.policy.ConvEncoder.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * The GRU decoder with attention over the encoder's memory, and its two static unrolls over {@code maxLen} steps with
 * shared weights: teacher-forced scoring and Gumbel-max sampling; its weights are declared in the
 * {@link ParameterLayout} that {@link PolicyGraph} owns.
 */
final class AttentionDecoder {

  /** Decoder weights, in flat order. */
  record Weights(ParameterLayout.Param emb, ParameterLayout.Param wx, ParameterLayout.Param wh,
      ParameterLayout.Param b, ParameterLayout.Param wq, ParameterLayout.Param wo, ParameterLayout.Param bo,
      ParameterLayout.Param wout, ParameterLayout.Param bout) {

    /** Declares the decoder's weights at the end of the layout. */
    static Weights declare(Ops tf, ParameterLayout layout, PolicyConfig cfg) {
      int v = cfg.vocabSize();
      int h = cfg.decoderHidden();
      int e = cfg.embeddingSize();
      int a = cfg.attentionSize();
      return new Weights(
          layout.add(tf, "embedding", false, v, e),
          layout.add(tf, "gru_x", false, e + a, 3L * h), // input [embedding; previous context] to gates z, r, n
          layout.add(tf, "gru_h", false, h, 3L * h),
          layout.add(tf, "gru_b", false, 3L * h),
          layout.add(tf, "att_query", false, h, a),
          layout.add(tf, "out", false, h + a, h), // [hidden; context] to the output layer
          layout.add(tf, "out_b", false, h),
          layout.add(tf, "logits", false, h, v),
          layout.add(tf, "logits_b", false, v));
    }
  }

  /** Teacher-forced log-probabilities: unmasked (N, T), masked (N, T), their sum and mean per row (N). */
  record Scoring(Operand<TFloat32> rawTokenLogp, Operand<TFloat32> tokenLogp, Operand<TFloat32> sumLogp,
      Operand<TFloat32> meanLogp) {}

  /** Sampled tokens (N, T), {@code <pad>} after {@code <end>}, and their log-probabilities at temperature 1 (N, T). */
  record Sampled(Operand<TInt32> tokens, Operand<TFloat32> tokenLogp) {}

  private final Ops tf;
  private final PolicyConfig cfg;
  private final Weights w;
  private final ConvEncoder.Memory mem;
  private final Operand<TFloat32> logitMask; // (V): -1e9 on <pad>, which the decoder never emits by itself

  AttentionDecoder(Ops tf, PolicyConfig cfg, Weights weights, ConvEncoder.Memory memory) {
    this.tf = Objects.requireNonNull(tf, "tf");
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.w = Objects.requireNonNull(weights, "weights");
    this.mem = Objects.requireNonNull(memory, "memory");
    float[] mask = new float[cfg.vocabSize()];
    mask[cfg.padId()] = -1e9f;
    this.logitMask = tf.constant(mask);
  }

  /**
   * The teacher-forced unroll: the prompt, then the completion shifted right, as inputs; the log-probability of each
   * target token, masked by {@code mask} (N, T).
   */
  Scoring teacherForced(Operand<TInt32> prompts, Operand<TInt32> targets, Operand<TFloat32> mask,
      Operand<TFloat32> one, Operand<TFloat32> zero) {
    int t = cfg.maxLen();
    int v = cfg.vocabSize();
    int e = cfg.embeddingSize();
    Operand<TInt32> inputs =
        tf.concat(
            List.of(
                tf.expandDims(prompts, tf.constant(1)),
                tf.slice(targets, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, t - 1}))),
            tf.constant(1)); // (N, T): prompt, then the completion shifted right
    Operand<TFloat32> inEmb =
        tf.reshape(
            tf.linalg.matMul(tf.reshape(tf.oneHot(inputs, tf.constant(v), one, zero), shape(tf, -1, v)),
                w.emb().read()),
            shape(tf, -1, t, e)); // (N, T, E)
    List<Operand<TFloat32>> inSteps = unstack(inEmb, t, 1); // T x (N, E)
    List<Operand<TFloat32>> tgtOneHot = unstack(tf.oneHot(targets, tf.constant(v), one, zero), t, 1); // T x (N, V)
    Operand<TFloat32> hs = mem.h0();
    Operand<TFloat32> ctx = mem.ctx0();
    List<Operand<TFloat32>> stepLogp = new ArrayList<>();
    for (int i = 0; i < t; i++) {
      Step out = step(inSteps.get(i), hs, ctx);
      hs = out.hidden();
      ctx = out.context();
      Operand<TFloat32> logsm = tf.nn.logSoftmax(out.logits()); // (N, V)
      stepLogp.add(tf.sum(tf.math.mul(logsm, tgtOneHot.get(i)), tf.constant(1))); // (N)
    }
    Operand<TFloat32> rawLogp = tf.stack(stepLogp, Stack.axis(1L)); // (N, T)
    Operand<TFloat32> tokenLogp = tf.withName("score_token_logp").math.mul(rawLogp, mask);
    Operand<TFloat32> sum = tf.withName("score_sum_logp").sum(tokenLogp, tf.constant(1));
    Operand<TFloat32> lengths = tf.sum(mask, tf.constant(1)); // (N)
    Operand<TFloat32> mean = tf.withName("score_mean_logp").math.div(sum, tf.math.maximum(lengths, one));
    return new Scoring(rawLogp, tokenLogp, sum, mean);
  }

  /**
   * The sampling unroll: Gumbel-max over {@code logits / temperature + noiseScale * gumbel} with stateless random
   * numbers from {@code seed}, each step's token fed back, {@code <pad>} forced after {@code <end>}.
   *
   * @param promptOneHot the prompts as one-hot rows (N, V), the first input
   */
  Sampled sample(Operand<TInt32> prompts, Operand<TFloat32> promptOneHot, Operand<TFloat32> temperature,
      Operand<TFloat32> noiseScale, Operand<TInt64> seed, Operand<TFloat32> one, Operand<TFloat32> zero) {
    int t = cfg.maxLen();
    int v = cfg.vocabSize();
    Operand<TInt32> noiseShape =
        tf.concat(List.of(tf.constant(new int[] {t}), tf.shape(prompts), tf.constant(new int[] {v})), tf.constant(0));
    Operand<TFloat32> u =
        tf.math.minimum(
            tf.math.maximum(tf.random.statelessRandomUniform(noiseShape, seed), tf.constant(1e-7f)),
            tf.constant(1f - 1e-7f)); // (T, N, V)
    Operand<TFloat32> gumbel = tf.math.neg(tf.math.log(tf.math.neg(tf.math.log(u))));
    List<Operand<TFloat32>> noise = unstack(gumbel, t, 0); // T x (N, V)
    Operand<TFloat32> input = promptOneHot;
    Operand<TFloat32> hs = mem.h0();
    Operand<TFloat32> ctx = mem.ctx0();
    Operand<TBool> done = tf.math.notEqual(prompts, prompts); // (N) all false
    Operand<TInt32> padTok = tf.constant(cfg.padId());
    Operand<TInt32> endTok = tf.constant(cfg.endId());
    List<Operand<TInt32>> toks = new ArrayList<>();
    List<Operand<TFloat32>> logps = new ArrayList<>();
    Operand<TFloat32> invTemp = tf.math.div(one, temperature);
    for (int i = 0; i < t; i++) {
      Step out = step(tf.linalg.matMul(input, w.emb().read()), hs, ctx);
      hs = out.hidden();
      ctx = out.context();
      Operand<TFloat32> logsm = tf.nn.logSoftmax(out.logits()); // (N, V), temperature 1
      Operand<TFloat32> perturbed =
          tf.math.add(tf.math.mul(out.logits(), invTemp), tf.math.mul(noiseScale, noise.get(i)));
      Operand<TInt32> tok = tf.math.argMax(perturbed, tf.constant(1), TInt32.class); // (N)
      Operand<TInt32> emitted = tf.select(done, tf.fill(tf.shape(tok), padTok), tok); // <pad> after <end>
      Operand<TFloat32> oh = tf.oneHot(emitted, tf.constant(v), one, zero); // (N, V)
      Operand<TFloat32> notDone = tf.dtypes.cast(tf.math.logicalNot(done), TFloat32.class); // (N)
      logps.add(tf.math.mul(tf.sum(tf.math.mul(logsm, oh), tf.constant(1)), notDone));
      toks.add(emitted);
      done = tf.math.logicalOr(done, tf.math.equal(emitted, endTok));
      input = oh;
    }
    Operand<TInt32> tokens = tf.withName("sample_tokens").stack(toks, Stack.axis(1L)); // (N, T)
    Operand<TFloat32> logp = tf.withName("sample_token_logp").stack(logps, Stack.axis(1L)); // (N, T)
    return new Sampled(tokens, logp);
  }

  /** One step's outputs: logits (N, V), hidden state (N, H), attention context (N, A). */
  private record Step(Operand<TFloat32> logits, Operand<TFloat32> hidden, Operand<TFloat32> context) {}

  /** One decoder step from the input token's embedding (N, E), the hidden state and the previous context. */
  private Step step(Operand<TFloat32> e, Operand<TFloat32> h, Operand<TFloat32> ctxPrev) {
    Operand<TInt32> lastAxis = tf.constant(1);
    Operand<TFloat32> xin = tf.concat(List.of(e, ctxPrev), lastAxis); // (N, E + A)
    List<Output<TFloat32>> gx =
        tf.split(lastAxis, tf.math.add(tf.linalg.matMul(xin, w.wx().read()), w.b().read()), 3L).output();
    List<Output<TFloat32>> gh = tf.split(lastAxis, tf.linalg.matMul(h, w.wh().read()), 3L).output(); // 3 x (N, H)
    Operand<TFloat32> z = tf.math.sigmoid(tf.math.add(gx.get(0), gh.get(0)));
    Operand<TFloat32> r = tf.math.sigmoid(tf.math.add(gx.get(1), gh.get(1)));
    Operand<TFloat32> n = tf.math.tanh(tf.math.add(gx.get(2), tf.math.mul(r, gh.get(2))));
    Operand<TFloat32> hNew = tf.math.add(n, tf.math.mul(z, tf.math.sub(h, n))); // (1-z) n + z h
    Operand<TFloat32> q = tf.linalg.matMul(hNew, w.wq().read()); // (N, A)
    Operand<TFloat32> scores =
        tf.math.mul(
            tf.sum(tf.math.mul(mem.keys(), tf.expandDims(q, tf.constant(1))), tf.constant(2)),
            tf.constant((float) (1.0 / Math.sqrt(cfg.attentionSize())))); // (N, L)
    Operand<TFloat32> alpha = tf.nn.softmax(scores);
    Operand<TFloat32> ctx = tf.sum(tf.math.mul(mem.values(), tf.expandDims(alpha, tf.constant(2))), tf.constant(1));
    Operand<TFloat32> o =
        tf.math.tanh(tf.math.add(tf.linalg.matMul(tf.concat(List.of(hNew, ctx), lastAxis), w.wo().read()),
            w.bo().read())); // (N, H)
    Operand<TFloat32> logits =
        tf.math.add(tf.math.add(tf.linalg.matMul(o, w.wout().read()), w.bout().read()), logitMask); // (N, V)
    return new Step(logits, hNew, ctx);
  }

  private <T extends TType> List<Operand<T>> unstack(Operand<T> x, int num, long axis) {
    List<Operand<T>> out = new ArrayList<>();
    for (Output<T> o : tf.unstack(x, (long) num, Unstack.axis(axis)).output()) {
      out.add(o);
    }
    return out;
  }
}
