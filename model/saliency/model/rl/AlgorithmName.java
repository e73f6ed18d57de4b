package saliency.model.rl;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The names of the RL algorithms, parsed once where settings enter (HOCON, command line, run folder), each bound to
 * the class that implements it; a new algorithm is one constant here and one class. Stateless.
 */
public enum AlgorithmName {
  /** Confidence-guided policy optimization (Saliency-R1). */
  CGPO("cgpo", Cgpo::new),
  /** Group-relative policy optimization. */
  GRPO("grpo", Grpo::new),
  /** Group sequence policy optimization: GRPO's advantage with a clipped sequence-level ratio. */
  GSPO("gspo", Gspo::new),
  /** One sample per prompt against the mean and spread of a window of samples. */
  REINFORCE_PP("reinforce++", ReinforcePlusPlus::new);

  private final String configName;
  private final Function<RlSettings, Algorithm> factory;

  AlgorithmName(String configName, Function<RlSettings, Algorithm> factory) {
    this.configName = configName;
    this.factory = factory;
  }

  /** The name in settings and on the command line ({@code cgpo}, {@code reinforce++}, ...). */
  public String configName() {
    return configName;
  }

  /** The algorithm with these settings. */
  Algorithm create(RlSettings settings) {
    return factory.apply(Objects.requireNonNull(settings, "settings"));
  }

  /** Every config name, in declaration order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(AlgorithmName::configName).toList();
  }

  /** The algorithm called {@code name} (case and surrounding spaces ignored); the error lists the valid names. */
  public static AlgorithmName parse(String name) {
    Objects.requireNonNull(name, "name");
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (AlgorithmName a : values()) {
      if (a.configName.equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown algorithm '" + name + "'; valid: " + String.join(", ", names()));
  }

  @Override
  public String toString() {
    return configName;
  }
}
