package saliency.model.policy.confidence;

/**
 * The sequence mean log-probability mapped to reward units by an online least-squares line {@code r ~ a + b x} over a
 * sliding window of the most recent (x, r) pairs, clamped to [0, 1]; owns the window.
 *
 * <p>With fewer than {@code minSamples} pairs in the window, or when the window's x values have (near) zero spread,
 * the confidence is the window's mean reward; with no pairs at all it is {@code prior}.
 */
public final class CalibratedConfidence implements ConfidenceEstimator {
  public static final String NAME = "calibrated";

  private final int window;
  private final int minSamples;
  private final double prior;
  private final double[] xs;
  private final double[] ys;
  private int count;
  private int next;

  public CalibratedConfidence(int window, int minSamples, double prior) {
    if (window < 2 || minSamples < 2 || minSamples > window) {
      throw new IllegalArgumentException("need 2 <= minSamples <= window, got window " + window + ", minSamples "
          + minSamples);
    }
    if (!(prior >= 0 && prior <= 1)) {
      throw new IllegalArgumentException("prior must be in [0,1], got " + prior);
    }
    this.window = window;
    this.minSamples = minSamples;
    this.prior = prior;
    this.xs = new double[window];
    this.ys = new double[window];
  }

  /** Window 512, at least 32 samples before fitting, prior 0.5. */
  public static CalibratedConfidence defaults() {
    return new CalibratedConfidence(512, 32, 0.5);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Intercept and slope of the current fit, {a, b}; slope 0 and the mean reward when not fitted. */
  public double[] fit() {
    if (count == 0) {
      return new double[] {prior, 0};
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < count; i++) {
      mx += xs[i];
      my += ys[i];
    }
    mx /= count;
    my /= count;
    if (count < minSamples) {
      return new double[] {my, 0};
    }
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < count; i++) {
      sxx += (xs[i] - mx) * (xs[i] - mx);
      sxy += (xs[i] - mx) * (ys[i] - my);
    }
    if (sxx <= 1e-12 * count) {
      return new double[] {my, 0};
    }
    double b = sxy / sxx;
    return new double[] {my - b * mx, b};
  }

  /** Number of pairs currently in the window. */
  public int size() {
    return count;
  }

  @Override
  public double[] confidences(ConfidenceInput input) {
    double[] ab = fit();
    double[] c = new double[input.n()];
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.max(0, Math.min(1, ab[0] + ab[1] * input.meanLogp()[i]));
    }
    return c;
  }

  @Override
  public void observe(double[] rewards, ConfidenceInput input) {
    if (rewards.length != input.n()) {
      throw new IllegalArgumentException("rewards: expected " + input.n() + ", got " + rewards.length);
    }
    for (int i = 0; i < rewards.length; i++) {
      double x = input.meanLogp()[i];
      double y = rewards[i];
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        continue; // a non-finite pair would poison the fit; it carries no calibration signal
      }
      xs[next] = x;
      ys[next] = y;
      next = (next + 1) % window;
      count = Math.min(count + 1, window);
    }
  }

  /** Completion by completion: the confidence from the fit so far, then the completion's own pair enters the window. */
  @Override
  public double[] confidencesThenObserve(ConfidenceInput input, double[] rewards) {
    if (rewards.length != input.n()) {
      throw new IllegalArgumentException("rewards: expected " + input.n() + ", got " + rewards.length);
    }
    double[] c = new double[input.n()];
    for (int i = 0; i < c.length; i++) {
      ConfidenceInput one = new ConfidenceInput(input.images(), 1, new int[] {input.prompts()[i]},
          new float[] {input.meanLogp()[i]});
      c[i] = confidences(one)[0];
      observe(new double[] {rewards[i]}, one);
    }
    return c;
  }
}
