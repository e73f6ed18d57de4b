package saliency.model.rl;

import java.util.Objects;
import saliency.model.policy.PolicyNetwork;
import saliency.model.policy.confidence.ConfidenceEstimators;

/**
 * Hyperparameters of the RL algorithms, mirroring the {@code saliency.rl} HOCON keys one to one (defaults in
 * {@link #defaults()} and in {@code application.conf}); immutable. Both training drivers read them from here.
 *
 * @param algo the algorithm ({@code algo}, cgpo)
 * @param groupSize completions per prompt of GRPO and GSPO, at least 2 for them ({@code group-size}, 4)
 * @param baselineWindow consecutive samples one REINFORCE++ baseline is taken over ({@code baseline-window}, 16)
 * @param confidence CGPO's confidence estimator: seqprob, calibrated or head ({@code confidence}, calibrated)
 * @param offPolicyCorrection CGPO, GRPO and REINFORCE++ weigh each token by its ratio {@code pi / pi_old} to the
 *     log-probabilities recorded at sampling, clipped PPO-style; off: plain {@code -A sum log pi / T_max}. GSPO
 *     always uses its sequence ratio ({@code off-policy-correction}, on)
 * @param tokenClipLow the per-token ratio is clipped below at {@code 1 - tokenClipLow} ({@code token-clip-low}, 0.2)
 * @param tokenClipHigh the per-token ratio is clipped above at {@code 1 + tokenClipHigh} ({@code token-clip-high},
 *     0.2)
 * @param sequenceClipLow GSPO's sequence ratio is clipped below at {@code 1 - sequenceClipLow}; the GSPO paper's 3e-4,
 *     far tighter than a token clip because a sequence ratio is a geometric mean of token ratios
 *     ({@code sequence-clip-low}, 3e-4)
 * @param sequenceClipHigh GSPO's sequence ratio is clipped above at {@code 1 + sequenceClipHigh}
 *     ({@code sequence-clip-high}, 4e-4)
 * @param klBeta weight of the k3 KL estimate to the frozen policy RL started from, 0 turns it off ({@code kl-beta}, 0)
 * @param headWeight weight of the confidence head's squared error on observed rewards ({@code head-weight}, 1.0)
 * @param sftAnchor weight of the SFT cross-entropy gradient of the batch's prompts added to each RL gradient, 0 is
 *     pure RL ({@code sft-anchor}, 0)
 * @param coordinatesOnly the policy gradient (and KL) counts only coordinate tokens, leaving structure and
 *     {@code <end>} to what SFT taught ({@code coordinates-only}, off)
 */
public record RlSettings(
    AlgorithmName algo,
    int groupSize,
    int baselineWindow,
    String confidence,
    boolean offPolicyCorrection,
    double tokenClipLow,
    double tokenClipHigh,
    double sequenceClipLow,
    double sequenceClipHigh,
    double klBeta,
    double headWeight,
    double sftAnchor,
    boolean coordinatesOnly) {

  public RlSettings {
    Objects.requireNonNull(algo, "algo");
    Objects.requireNonNull(confidence, "confidence");
    if (!ConfidenceEstimators.NAMES.contains(confidence)) {
      throw new IllegalArgumentException("confidence must be one of " + ConfidenceEstimators.NAMES + ", got '"
          + confidence + "'");
    }
    if (groupSize < 1 || baselineWindow < 1) {
      throw new IllegalArgumentException("group-size and baseline-window must be positive: " + groupSize + ", "
          + baselineWindow);
    }
    clipRange("token-clip", tokenClipLow, tokenClipHigh);
    clipRange("sequence-clip", sequenceClipLow, sequenceClipHigh);
    if (!(klBeta >= 0) || !(headWeight >= 0) || !(sftAnchor >= 0) || Double.isInfinite(klBeta + headWeight + sftAnchor)) {
      throw new IllegalArgumentException("kl-beta, head-weight and sft-anchor must be finite and >= 0: " + klBeta
          + ", " + headWeight + ", " + sftAnchor);
    }
  }

  private static void clipRange(String key, double low, double high) {
    if (!(low >= 0 && low < 1) || !(high >= 0 && Double.isFinite(high))) {
      throw new IllegalArgumentException(key + " needs 0 <= low < 1 and finite high >= 0: " + low + ", " + high);
    }
  }

  /** The defaults; {@code saliency.rl} in {@code application.conf} holds the same values. */
  public static RlSettings defaults() {
    return new RlSettings(AlgorithmName.CGPO, 4, 16, "calibrated", true, 0.2, 0.2, 3e-4, 4e-4, 0.0, 1.0, 0.0, false);
  }

  /** The algorithm these settings name, made with them; fails when the settings do not suit it. */
  public Algorithm algorithm() {
    return algo.create(this);
  }

  /** These settings with another algorithm and CGPO confidence estimator. */
  public RlSettings withAlgo(AlgorithmName newAlgo, String newConfidence) {
    return new RlSettings(newAlgo, groupSize, baselineWindow, newConfidence, offPolicyCorrection, tokenClipLow,
        tokenClipHigh, sequenceClipLow, sequenceClipHigh, klBeta, headWeight, sftAnchor, coordinatesOnly);
  }

  /** These settings with another group size. */
  public RlSettings withGroupSize(int newGroupSize) {
    return new RlSettings(algo, newGroupSize, baselineWindow, confidence, offPolicyCorrection, tokenClipLow,
        tokenClipHigh, sequenceClipLow, sequenceClipHigh, klBeta, headWeight, sftAnchor, coordinatesOnly);
  }

  /** These settings with another REINFORCE++ baseline window. */
  public RlSettings withWindow(int newBaselineWindow) {
    return new RlSettings(algo, groupSize, newBaselineWindow, confidence, offPolicyCorrection, tokenClipLow,
        tokenClipHigh, sequenceClipLow, sequenceClipHigh, klBeta, headWeight, sftAnchor, coordinatesOnly);
  }

  /** These settings with other KL and confidence-head weights. */
  public RlSettings withWeights(double newKlBeta, double newHeadWeight) {
    return new RlSettings(algo, groupSize, baselineWindow, confidence, offPolicyCorrection, tokenClipLow,
        tokenClipHigh, sequenceClipLow, sequenceClipHigh, newKlBeta, newHeadWeight, sftAnchor, coordinatesOnly);
  }

  /** These settings with another SFT anchor weight and coordinate-token restriction. */
  public RlSettings withAnchor(double newSftAnchor, boolean newCoordinatesOnly) {
    return new RlSettings(algo, groupSize, baselineWindow, confidence, offPolicyCorrection, tokenClipLow,
        tokenClipHigh, sequenceClipLow, sequenceClipHigh, klBeta, headWeight, newSftAnchor, newCoordinatesOnly);
  }

  /** The loss with the per-token clip of {@code token-clip-*} when off-policy correction is on, else no ratio. */
  PolicyNetwork.LossSettings tokenClippedLoss() {
    return loss(offPolicyCorrection ? PolicyNetwork.Ratio.TOKEN_CLIP : PolicyNetwork.Ratio.NONE, tokenClipLow,
        tokenClipHigh);
  }

  /** The loss with these KL, head and token settings, and the given ratio and clip range. */
  PolicyNetwork.LossSettings loss(PolicyNetwork.Ratio ratio, double epsLow, double epsHigh) {
    return new PolicyNetwork.LossSettings(klBeta, headWeight, coordinatesOnly, ratio, epsLow, epsHigh);
  }
}
