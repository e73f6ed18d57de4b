package saliency.model.rl;

import java.util.Objects;

/**
 * One scored completion, the input of every {@link Algorithm}; immutable.
 *
 * @param promptId the prompt the completion answers; completions with the same id form a group (GRPO, GSPO)
 * @param reward the total reward of the completion, finite (usually in [0,1], DESIGN §6)
 * @param confidence the policy's confidence in the completion, in reward units (DESIGN §7); read by CGPO only ({@link Algorithm#usesConfidence()})
 * @param logProbNew the completion's mean per-token log-probability {@code mean_t log pi(o_t)} under the current
 *     policy; read by GSPO only
 * @param logProbOld the same mean under the policy that sampled the completion; read by GSPO only
 */
public record Scored(String promptId, double reward, double confidence, double logProbNew, double logProbOld) {
  public Scored {
    Objects.requireNonNull(promptId, "promptId");
    requireFinite(reward, "reward", promptId);
    requireFinite(confidence, "confidence", promptId);
    requireFinite(logProbNew, "logProbNew", promptId);
    requireFinite(logProbOld, "logProbOld", promptId);
  }

  /** A completion without log-probabilities (ratio 1 for GSPO). */
  public static Scored of(String promptId, double reward, double confidence) {
    return new Scored(promptId, reward, confidence, 0.0, 0.0);
  }

  private static void requireFinite(double v, String field, String promptId) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(field + " of completion for prompt " + promptId + " is not finite: " + v);
    }
  }
}
