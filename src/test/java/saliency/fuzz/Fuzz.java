package saliency.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** Runs one fuzz case under a time limit and fails on any throwable but the documented ones; stateless. */
public final class Fuzz {
  /** Time limit of one case (generous for a busy 2-core CI machine; cases take milliseconds). */
  public static final Duration CASE_LIMIT = Duration.ofSeconds(10);

  private Fuzz() {}

  /**
   * Runs {@code body} on {@code input}; returns its result, or null when it threw one of {@code allowed}; fails the
   * test on a timeout or any other throwable (an {@link Error} such as OutOfMemoryError included), naming the case.
   */
  public static <T> T check(String target, int index, byte[] input, List<Class<? extends Throwable>> allowed,
      ThrowingSupplier<T> body) {
    Object[] outcome = assertTimeoutPreemptively(CASE_LIMIT, () -> {
      try {
        return new Object[] {body.get(), null};
      } catch (Throwable t) {
        return new Object[] {null, t};
      }
    }, () -> target + " case " + index + " ran over " + CASE_LIMIT + " on " + hex(input));
    Throwable t = (Throwable) outcome[1];
    if (t == null) {
      @SuppressWarnings("unchecked")
      T result = (T) outcome[0];
      return result;
    }
    for (Class<? extends Throwable> c : allowed) {
      if (c.isInstance(t)) {
        return null;
      }
    }
    fail(target + " case " + index + " threw " + t + " (allowed: " + allowed + ") on " + hex(input), t);
    return null;
  }

  private static String hex(byte[] input) {
    byte[] head = input.length > 96 ? java.util.Arrays.copyOf(input, 96) : input;
    return input.length + " bytes " + HexFormat.of().formatHex(head) + (input.length > 96 ? "..." : "");
  }
}
