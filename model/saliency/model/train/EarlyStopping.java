package saliency.model.train;

/**
 * Best-checkpoint early stopping on a validation score, higher is better: says when a score is due, keeps a copy of
 * the weights of the best score so far and says when {@code patience} scores in a row brought no gain; owns its copy of
 * the best weights (not thread-safe).
 */
final class EarlyStopping {
  private final double everySeconds;
  private final int patience;
  private double lastCheck;
  private double best = Double.NEGATIVE_INFINITY;
  private float[] bestWeights;
  private long bestStep;
  private int sinceBest;
  private int checks;

  /**
   * @param everySeconds seconds between scores
   * @param patience scores in a row without a gain before {@link #record} says stop
   */
  EarlyStopping(double everySeconds, int patience) {
    if (!(everySeconds > 0) || patience < 1) {
      throw new IllegalArgumentException("validation every " + everySeconds + " s, patience " + patience);
    }
    this.everySeconds = everySeconds;
    this.patience = patience;
  }

  /** True when a score is due at {@code elapsed} seconds, or always on the {@code last} step of the budget. */
  boolean due(double elapsed, boolean last) {
    if (last || elapsed - lastCheck >= everySeconds) {
      lastCheck = elapsed;
      return true;
    }
    return false;
  }

  /** Records a score of {@code weights} (copied when best) after {@code step}; true when training should stop. */
  boolean record(double score, float[] weights, long step) {
    checks++;
    if (score > best) {
      best = score;
      bestWeights = weights.clone();
      bestStep = step;
      sinceBest = 0;
      return false;
    }
    return ++sinceBest >= patience;
  }

  /** The best weights so far, null before the first score. */
  float[] bestWeights() {
    return bestWeights;
  }

  double best() {
    return best;
  }

  long bestStep() {
    return bestStep;
  }

  int checks() {
    return checks;
  }
}
