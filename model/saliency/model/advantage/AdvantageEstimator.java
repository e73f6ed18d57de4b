package saliency.model.advantage;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Turns a batch of scored completions into advantages (DESIGN §7); implementations are stateless. */
public interface AdvantageEstimator {
  /** Valid names for {@link #named}. */
  List<String> NAMES = List.of("cgpo", "grpo", "gspo", "reinforce++");

  /** Added to the standard deviation before dividing (DESIGN §7). */
  double STD_EPS = 1e-4;

  /** Groups whose rewards span less than this are skipped as zero spread. */
  double ZERO_SPREAD = 1e-9;

  /** The estimator's name, one of {@link #NAMES}. */
  String name();

  /** Advantages aligned to {@code batch}'s order; finite; an empty batch gives an empty result. */
  AdvantageResult estimate(List<Scored> batch);

  /**
   * The estimator of a name ({@code cgpo}, {@code grpo}, {@code gspo}, {@code reinforce++}; case and surrounding
   * spaces ignored); {@code settings} is read by GSPO.
   */
  static AdvantageEstimator named(String name, AdvantageSettings settings) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "cgpo":
        return new Cgpo();
      case "grpo":
        return new Grpo();
      case "gspo":
        return new Gspo(settings);
      case "reinforce++":
        return new BatchBaseline();
      default:
        throw new IllegalArgumentException(
            "unknown advantage estimator '" + name + "'; valid: " + String.join(", ", NAMES));
    }
  }
}
