package saliency.streams;

import java.util.List;
import java.util.Objects;

/** The completions a policy sampled for one prompt and the version of the weights that produced them; immutable. */
public record Sampled(List<Completion> completions, PolicyVersion version) {
  public Sampled {
    completions = List.copyOf(Objects.requireNonNull(completions, "completions"));
    Objects.requireNonNull(version, "version");
  }
}
