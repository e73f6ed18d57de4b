package saliency.model.metrics;

import java.util.Objects;

/**
 * The complete evaluation of one prediction/ground-truth pair (per-image scores plus its
 * E-measure and F-measure threshold curves), computed independently of any accumulator so pairs
 * can be evaluated in parallel and then added in a fixed order. Immutable; owns its curves.
 */
public final class PairEvaluation {
  private final ImageScores scores;
  private final double[] emCurve;
  private final double[] fmCurve;

  PairEvaluation(ImageScores scores, double[] emCurve, double[] fmCurve) {
    this.scores = Objects.requireNonNull(scores, "scores");
    this.emCurve = Objects.requireNonNull(emCurve, "emCurve");
    this.fmCurve = Objects.requireNonNull(fmCurve, "fmCurve");
  }

  public ImageScores scores() {
    return scores;
  }

  double[] emCurve() {
    return emCurve;
  }

  double[] fmCurve() {
    return fmCurve;
  }
}
