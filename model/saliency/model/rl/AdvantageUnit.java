package saliency.model.rl;

/**
 * Which samples one advantage computation compares, and so what a streaming driver must gather before it: each sample
 * alone, the completions of one prompt, or a window of consecutive samples; immutable.
 *
 * @param kind what the unit is
 * @param size samples in a full unit (1 for {@link Kind#SAMPLE})
 */
public record AdvantageUnit(Kind kind, int size) {
  /** What a unit is. */
  public enum Kind {
    /** Each sample alone: no barrier. */
    SAMPLE,
    /** The {@code size} completions of one prompt. */
    PROMPT,
    /** {@code size} consecutive samples, whatever their prompts. */
    WINDOW
  }

  public AdvantageUnit {
    java.util.Objects.requireNonNull(kind, "kind");
    if (size < 1 || (kind == Kind.SAMPLE && size != 1)) {
      throw new IllegalArgumentException("a " + kind + " unit of " + size + " samples");
    }
  }

  static AdvantageUnit sample() {
    return new AdvantageUnit(Kind.SAMPLE, 1);
  }
}
