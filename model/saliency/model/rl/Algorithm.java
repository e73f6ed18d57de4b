package saliency.model.rl;

import java.util.List;
import java.util.Objects;
import saliency.model.policy.PolicyNetwork;

/**
 * One RL algorithm as both training drivers run it: how many completions to sample per prompt, which samples an
 * advantage compares, how rewards (and, for CGPO, confidences) become advantages, and which terms the loss has.
 * Subclasses are immutable and hold their {@link RlSettings}; obtain one with {@link RlSettings#algorithm()}. A new
 * algorithm is one subclass and one {@link AlgorithmName} constant.
 */
public abstract class Algorithm {
  private final AlgorithmName name;
  private final RlSettings settings;
  private final int completionsPerPrompt;
  private final AdvantageUnit unit;
  private final boolean usesConfidence;

  /**
   * @param completionsPerPrompt completions sampled for each prompt (the group size G, or 1)
   * @param unit which samples one advantage computation compares (what a streaming driver gathers first)
   * @param usesConfidence whether the advantage reads {@link Scored#confidence()}
   */
  Algorithm(AlgorithmName name, RlSettings settings, int completionsPerPrompt, AdvantageUnit unit,
      boolean usesConfidence) {
    this.name = Objects.requireNonNull(name, "name");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.unit = Objects.requireNonNull(unit, "unit");
    if (completionsPerPrompt < 1) {
      throw new IllegalArgumentException("completions per prompt must be positive: " + completionsPerPrompt);
    }
    this.completionsPerPrompt = completionsPerPrompt;
    this.usesConfidence = usesConfidence;
  }

  public final AlgorithmName name() {
    return name;
  }

  /** The settings the algorithm was made with. */
  public final RlSettings settings() {
    return settings;
  }

  /** Completions sampled for each prompt (the group size G, or 1). */
  public final int completionsPerPrompt() {
    return completionsPerPrompt;
  }

  /** Which samples one advantage computation compares (what a streaming driver gathers first). */
  public final AdvantageUnit unit() {
    return unit;
  }

  /** True when the advantage reads {@link Scored#confidence()} (otherwise it may be anything finite). */
  public final boolean usesConfidence() {
    return usesConfidence;
  }

  /** Weight of the SFT cross-entropy gradient of the batch's prompts added to every RL gradient (0: pure RL). */
  public final double sftAnchor() {
    return settings.sftAnchor();
  }

  /**
   * Advantages aligned to {@code batch}'s order, finite; a batch may hold several units (prompt groups, windows of
   * consecutive samples), each computed alone; an empty batch gives an empty result.
   */
  public abstract AdvantageResult advantages(List<Scored> batch);

  /** The policy loss: importance ratio and its clip range, KL weight, confidence-head weight, tokens counted. */
  public abstract PolicyNetwork.LossSettings loss();

  @Override
  public String toString() {
    return name.configName();
  }
}
