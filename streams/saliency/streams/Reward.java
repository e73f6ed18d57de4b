package saliency.streams;

import java.util.Map;
import java.util.Objects;

/** A completion's total reward and its named parts (iou, format, ...); immutable. */
public record Reward(double total, Map<String, Double> parts) {
  public Reward {
    parts = Map.copyOf(Objects.requireNonNull(parts, "parts"));
    if (!Double.isFinite(total)) {
      throw new IllegalArgumentException("reward must be finite: " + total + " " + parts);
    }
  }

  public static Reward of(double total) {
    return new Reward(total, Map.of());
  }
}
