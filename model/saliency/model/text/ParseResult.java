package saliency.model.text;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import saliency.model.geometry.Polygon;
import saliency.model.geometry.PolygonChecks;

/**
 * The outcome of reading a completion, from text ({@link AnswerParser}) or from token ids ({@link Tokenizer#decode}):
 * either a structured answer or a typed failure with a reason and a position; immutable.
 */
public sealed interface ParseResult {

  /** The completion read as an answer; its polygons are not yet checked for validity (see {@link #formatOk()}). */
  record Parsed(Answer answer) implements ParseResult {
    public Parsed {
      Objects.requireNonNull(answer, "answer");
    }
  }

  /**
   * The completion could not be read; {@code position} is the character offset (text) or token index (ids) where
   * reading stopped.
   */
  record Failed(String reason, int position) implements ParseResult {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** True for {@link Parsed}. */
  default boolean isParsed() {
    return this instanceof Parsed;
  }

  /** The answer when parsed, otherwise empty. */
  default Optional<Answer> toOptional() {
    return this instanceof Parsed p ? Optional.of(p.answer()) : Optional.empty();
  }

  /**
   * What the format reward reads: parsed, and the answer is well formed ({@link #isWellFormed(Answer)}).
   */
  default boolean formatOk() {
    return this instanceof Parsed p && isWellFormed(p.answer());
  }

  /**
   * True when every polygon of a region or instance answer passes {@link PolygonChecks#isValid} (at least 3 vertices,
   * clockwise in image coordinates, simple) and there is at least one; for a prompt answer, when the box has
   * {@code x1 < x2}, {@code y1 < y2} and every box value, point coordinate and label is in range.
   */
  static boolean isWellFormed(Answer answer) {
    Objects.requireNonNull(answer, "answer");
    if (answer instanceof Answer.Prompt p) {
      double[] b = p.box();
      for (double v : b) {
        if (!inUnit(v)) {
          return false;
        }
      }
      if (!(b[0] < b[2] && b[1] < b[3])) {
        return false;
      }
      for (double[] pt : p.points()) {
        if (pt.length != 2 || !inUnit(pt[0]) || !inUnit(pt[1])) {
          return false;
        }
      }
      for (int l : p.labels()) {
        if (l != 0 && l != 1) {
          return false;
        }
      }
      return true;
    }
    List<Polygon> polys = polygonsOf(answer);
    if (polys.isEmpty()) {
      return false;
    }
    for (Polygon poly : polys) {
      if (!PolygonChecks.isValid(poly)) {
        return false;
      }
    }
    return true;
  }

  /** The polygons of a region or instance answer; empty for a prompt answer. */
  static List<Polygon> polygonsOf(Answer answer) {
    if (answer instanceof Answer.Region r) {
      return r.polygons();
    }
    if (answer instanceof Answer.Instances i) {
      return i.instances();
    }
    return List.of();
  }

  private static boolean inUnit(double v) {
    return v >= 0.0 && v <= 1.0;
  }
}
