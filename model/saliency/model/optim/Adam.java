package saliency.model.optim;

import java.util.Objects;

/**
 * Adam over one contiguous slice of a flat parameter vector; the instance owns its moment arrays and step counter.
 *
 * <p>Used by the single-process trainer (the whole vector as one slice) and by each learner shard (its slice). Update,
 * with bias correction as in Kingma and Ba: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * w -= lr * mhat / (sqrt(vhat) + eps)}.
 */
public final class Adam {
  /** Hyperparameters: learning rate, the two moment decays and the denominator epsilon. */
  public record Settings(double learningRate, double beta1, double beta2, double epsilon) {
    public Settings {
      if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
        throw new IllegalArgumentException(
            "bad Adam settings: lr=" + learningRate + " beta1=" + beta1 + " beta2=" + beta2 + " eps=" + epsilon);
      }
    }

    public static Settings defaults(double learningRate) {
      return new Settings(learningRate, 0.9, 0.999, 1e-8);
    }
  }

  private final Settings settings;
  private final float[] m;
  private final float[] v;
  private long step;

  public Adam(Settings settings, int size) {
    this(settings, new float[size], new float[size], 0);
  }

  /** Restores an optimizer from saved moments and step (arrays are used as they are). */
  public Adam(Settings settings, float[] m, float[] v, long step) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.m = Objects.requireNonNull(m, "m");
    this.v = Objects.requireNonNull(v, "v");
    if (m.length != v.length) {
      throw new IllegalArgumentException("moment arrays differ in length: " + m.length + " vs " + v.length);
    }
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0: " + step);
    }
    this.step = step;
  }

  /** Applies one update of {@code grad} to {@code weights} in place; both must have this optimizer's size. */
  public void apply(float[] weights, float[] grad) {
    apply(weights, grad, settings.learningRate());
  }

  /** As {@link #apply(float[], float[])} with an explicit learning rate (for schedules). */
  public void apply(float[] weights, float[] grad, double learningRate) {
    if (weights.length != m.length || grad.length != m.length) {
      throw new IllegalArgumentException(
          "size mismatch: weights " + weights.length + ", grad " + grad.length + ", optimizer " + m.length);
    }
    step++;
    double b1 = settings.beta1();
    double b2 = settings.beta2();
    double c1 = 1 - Math.pow(b1, step);
    double c2 = 1 - Math.pow(b2, step);
    double eps = settings.epsilon();
    for (int i = 0; i < weights.length; i++) {
      double g = grad[i];
      double mi = b1 * m[i] + (1 - b1) * g;
      double vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = (float) mi;
      v[i] = (float) vi;
      weights[i] -= (float) (learningRate * (mi / c1) / (Math.sqrt(vi / c2) + eps));
    }
  }

  /** Scales {@code grad} in place so its L2 norm is at most {@code maxNorm}; returns the norm before clipping. */
  public static double clipByGlobalNorm(float[] grad, double maxNorm) {
    double sq = 0;
    for (float g : grad) {
      sq += (double) g * g;
    }
    double norm = Math.sqrt(sq);
    if (maxNorm > 0 && norm > maxNorm) {
      float scale = (float) (maxNorm / norm);
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= scale;
      }
    }
    return norm;
  }

  /** True when every value is finite. */
  public static boolean allFinite(float[] values) {
    for (float x : values) {
      if (!Float.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  public Settings settings() {
    return settings;
  }

  public int size() {
    return m.length;
  }

  public long step() {
    return step;
  }

  /** First-moment array (live, for checkpointing). */
  public float[] firstMoment() {
    return m;
  }

  /** Second-moment array (live, for checkpointing). */
  public float[] secondMoment() {
    return v;
  }
}
