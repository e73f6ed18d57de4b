package saliency.model.policy;

import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The loss terms of the policy graph and their gradients: the policy-gradient loss with its importance ratio and
 * clipping, the k3 KL estimate, the confidence head's squared error, and the SFT cross-entropy; built by
 * {@link PolicyGraph} on the teacher-forced scores, the endpoints are read by {@link PolicyGradients}.
 */
final class LossGraph {

  /** The weighted total loss, the head's loss, the SFT loss, and their gradients (flat order of the reads). */
  record Objectives(Operand<TFloat32> total, Operand<TFloat32> headLoss, List<Output<?>> gradients,
      Operand<TFloat32> sftLoss, List<Output<?>> sftGradients) {}

  final Placeholder<TFloat32> advantages; // (N)
  final Placeholder<TFloat32> refLogp; // (N, T)
  final Placeholder<TFloat32> klBeta; // ()
  final Placeholder<TFloat32> headWeight; // ()
  final Placeholder<TFloat32> rewards; // (N)
  final Placeholder<TFloat32> oldLogp; // (N, T)
  final Placeholder<TFloat32> ratioWeights; // (3): one-hot weights of the NONE, TOKEN_CLIP and SEQUENCE_CLIP losses
  final Placeholder<TFloat32> clipRange; // (2): 1 - epsLow, 1 + epsHigh
  /** {@code mean_i} of the policy loss that {@link #ratioWeights} selects. */
  final Operand<TFloat32> policyLoss;
  /** {@code mean_i sum_t k3_it / T_max} with {@code k3 = exp(ref - logp) - (ref - logp) - 1}. */
  final Operand<TFloat32> klLoss;

  private final Ops tf;
  private final AttentionDecoder.Scoring scoring;
  private final Operand<TFloat32> mask;
  private final Operand<TFloat32> one;

  /** Builds the loss placeholders, the three policy losses (plain, token clip, sequence clip) and the KL term. */
  LossGraph(Ops tf, int maxLen, AttentionDecoder.Scoring scoring, Operand<TFloat32> mask, Operand<TFloat32> one) {
    this.tf = Objects.requireNonNull(tf, "tf");
    this.scoring = Objects.requireNonNull(scoring, "scoring");
    this.mask = Objects.requireNonNull(mask, "mask");
    this.one = Objects.requireNonNull(one, "one");
    int t = maxLen;
    Operand<TFloat32> rawLogp = scoring.rawTokenLogp(); // (N, T)
    advantages = tf.withName(PolicyGraph.ADVANTAGES).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    refLogp = tf.withName(PolicyGraph.REF_LOGP).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, t)));
    klBeta = tf.withName(PolicyGraph.KL_BETA).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    headWeight = tf.withName(PolicyGraph.HEAD_WEIGHT).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    rewards = tf.withName(PolicyGraph.REWARDS).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    oldLogp = tf.withName(PolicyGraph.OLD_LOGP).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, t)));
    ratioWeights = tf.withName(PolicyGraph.RATIO_WEIGHTS).placeholder(TFloat32.class, Placeholder.shape(Shape.of(3)));
    clipRange = tf.withName(PolicyGraph.CLIP_RANGE).placeholder(TFloat32.class, Placeholder.shape(Shape.of(2)));
    Operand<TFloat32> adv = advantages;
    Operand<TFloat32> invT = tf.constant(1f / t);
    Operand<TFloat32> lo = tf.gather(clipRange, tf.constant(0), tf.constant(0));
    Operand<TFloat32> hi = tf.gather(clipRange, tf.constant(1), tf.constant(0));
    Operand<TFloat32> advCol = tf.expandDims(adv, tf.constant(1)); // (N, 1)
    Operand<TFloat32> maxLog = tf.constant(20f);
    // plain: -A sum_t logp / T_max
    Operand<TFloat32> plain = tf.math.mean(tf.math.mul(tf.math.neg(tf.math.mul(adv, scoring.sumLogp())), invT),
        tf.constant(0));
    // token clip: -sum_t min(r_t A, clip(r_t) A) / T_max
    Operand<TFloat32> tokRatio = tf.math.exp(tf.math.minimum(tf.math.maximum(
        tf.math.sub(rawLogp, oldLogp), tf.math.neg(maxLog)), maxLog)); // (N, T)
    Operand<TFloat32> tokSurr = tf.math.minimum(tf.math.mul(tokRatio, advCol),
        tf.math.mul(tf.math.minimum(tf.math.maximum(tokRatio, lo), hi), advCol)); // (N, T)
    Operand<TFloat32> tokenClip = tf.math.mean(tf.math.mul(tf.math.neg(tf.sum(tf.math.mul(tokSurr, mask),
        tf.constant(1))), invT), tf.constant(0));
    // sequence clip (GSPO): s = exp(mean_t (logp - old)), -min(s A, clip(s) A) |y| / T_max
    Operand<TFloat32> len = tf.math.maximum(tf.sum(mask, tf.constant(1)), one); // (N)
    Operand<TFloat32> seqLog = tf.math.div(tf.sum(tf.math.mul(tf.math.sub(rawLogp, oldLogp), mask),
        tf.constant(1)), len); // (N)
    Operand<TFloat32> seqRatio = tf.math.exp(tf.math.minimum(tf.math.maximum(seqLog, tf.math.neg(maxLog)), maxLog));
    Operand<TFloat32> seqSurr = tf.math.minimum(tf.math.mul(seqRatio, adv),
        tf.math.mul(tf.math.minimum(tf.math.maximum(seqRatio, lo), hi), adv)); // (N)
    Operand<TFloat32> seqClip = tf.math.mean(tf.math.mul(tf.math.neg(tf.math.mul(seqSurr, len)), invT),
        tf.constant(0));
    policyLoss = tf.math.add(tf.math.add(
        tf.math.mul(tf.gather(ratioWeights, tf.constant(0), tf.constant(0)), plain),
        tf.math.mul(tf.gather(ratioWeights, tf.constant(1), tf.constant(0)), tokenClip)),
        tf.math.mul(tf.gather(ratioWeights, tf.constant(2), tf.constant(0)), seqClip));
    Operand<TFloat32> d = tf.math.minimum(tf.math.sub(refLogp, rawLogp), tf.constant(30f)); // (N, T)
    Operand<TFloat32> k3 = tf.math.sub(tf.math.sub(tf.math.exp(d), d), one);
    klLoss = tf.math.mean(tf.math.mul(tf.sum(tf.math.mul(k3, mask), tf.constant(1)), invT), tf.constant(0));
  }

  /**
   * The total {@code policy + beta KL + w_head MSE(head, rewards)} and its gradient with respect to every weight, and
   * the SFT cross-entropy (mean over the batch's real tokens) and its gradient with respect to the policy's weights.
   *
   * @param headPred the confidence head's prediction (N)
   */
  Objectives objectives(Operand<TFloat32> headPred, ParameterLayout layout) {
    Operand<TFloat32> headLoss = tf.math.mean(tf.math.squaredDifference(headPred, rewards), tf.constant(0));
    Operand<TFloat32> total =
        tf.withName("pg_total_loss")
            .math.add(tf.math.add(policyLoss, tf.math.mul(klBeta, klLoss)), tf.math.mul(headWeight, headLoss));
    List<Operand<TFloat32>> allReads = layout.reads(true);
    List<Operand<TFloat32>> policyReads = layout.reads(false);
    List<Output<?>> grads = tf.gradients(total, allReads).dy();
    Operand<TFloat32> sftLoss =
        tf.withName("sft_loss")
            .math.div(tf.math.neg(tf.sum(scoring.tokenLogp(), tf.constant(new int[] {0, 1}))),
                tf.math.maximum(tf.sum(mask, tf.constant(new int[] {0, 1})), one));
    List<Output<?>> sftGrads = tf.gradients(sftLoss, policyReads).dy();
    return new Objectives(total, headLoss, grads, sftLoss, sftGrads);
  }
}
