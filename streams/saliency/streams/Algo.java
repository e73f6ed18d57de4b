package saliency.streams;

import java.util.Locale;

/** The policy-optimization algorithms the training graph can run; decides sampling count and advantage grouping. */
public enum Algo {
  /** Confidence-guided: one sample per prompt, advantage per sample, no barrier. */
  CGPO("cgpo"),
  /** G samples per prompt, advantage per prompt group. */
  GRPO("grpo"),
  /** As GRPO, with a sequence-level importance ratio in the loss. */
  GSPO("gspo"),
  /** One sample per prompt, batch-mean baseline over a window of samples. */
  REINFORCE_PP("reinforce++");

  private final String configName;

  Algo(String configName) {
    this.configName = configName;
  }

  /** The name used in config ({@code saliency.pipeline.algo}). */
  public String configName() {
    return configName;
  }

  /** Completions sampled per prompt given the configured group size. */
  public int samplesPerPrompt(int groupSize) {
    return this == GRPO || this == GSPO ? groupSize : 1;
  }

  /** Parses a config name (case-insensitive); the error lists the valid names. */
  public static Algo parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Algo a : values()) {
      if (a.configName.equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "saliency.pipeline.algo: unknown algorithm '" + name + "', expected one of cgpo, grpo, gspo, reinforce++");
  }
}
