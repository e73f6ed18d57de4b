package saliency.actors.train;

import saliency.streams.Sample;

/**
 * Running means of the samples that pass the advantage stage (reward, IoU, confidence, newest policy version), read
 * and reset in windows by the reporting thread; thread-safe (synchronized), owned by one training run.
 */
public final class RunMeter {
  /**
   * Means over one window.
   *
   * @param samples samples rewarded in the window (trained or skipped)
   * @param reward mean total reward (NaN for an empty window)
   * @param iou mean IoU part of the reward (NaN when empty)
   * @param confidence mean confidence of samples that had one (NaN when none)
   * @param skipped samples whose unit the estimator skipped (zero reward spread)
   * @param version newest policy version (smallest slice version) seen so far, over the whole run
   */
  public record Window(long samples, double reward, double iou, double confidence, long skipped, long version) {}

  private long n;
  private double reward;
  private double iou;
  private long confidenceCount;
  private double confidence;
  private long skipped;
  private long version;

  /** A sample with its reward and advantage (and maybe confidence) set. */
  public synchronized void record(Sample<?, ?> s) {
    add(s);
    if (Double.isFinite(s.confidence())) {
      confidence += s.confidence();
      confidenceCount++;
    }
  }

  /** A rewarded sample whose unit was skipped. */
  public synchronized void recordSkipped(Sample<?, ?> s) {
    add(s);
    skipped++;
  }

  private void add(Sample<?, ?> s) {
    n++;
    reward += s.rewardTotal();
    iou += s.reward().parts().getOrDefault("iou", Double.NaN);
    version = Math.max(version, s.version().min());
  }

  /** The means since the last {@link #drain}, without resetting them. */
  public synchronized Window peek() {
    return new Window(n, n == 0 ? Double.NaN : reward / n, n == 0 ? Double.NaN : iou / n,
        confidenceCount == 0 ? Double.NaN : confidence / confidenceCount, skipped, version);
  }

  /** The means since the previous call, and resets them (the version is kept). */
  public synchronized Window drain() {
    Window w = peek();
    n = 0;
    reward = 0;
    iou = 0;
    confidence = 0;
    confidenceCount = 0;
    skipped = 0;
    return w;
  }
}
