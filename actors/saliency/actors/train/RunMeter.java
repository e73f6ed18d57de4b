package saliency.actors.train;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import saliency.model.text.Task;
import saliency.model.train.Prepared;
import saliency.streams.Sample;

/**
 * Running means of the samples that pass the advantage stage (reward, IoU, confidence, newest policy version), read
 * and reset in windows by the reporting thread; thread-safe (synchronized), owned by one training run. When the
 * samples answer prompts of several tasks (or of one task other than SOD), a window also holds the mean reward per task
 * ({@code reward_sis}, ...).
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
  public record Window(long samples, double reward, double iou, double confidence, long skipped, long version,
      Map<String, Double> rewardByTask) {
    /** A window without per-task means. */
    public Window(long samples, double reward, double iou, double confidence, long skipped, long version) {
      this(samples, reward, iou, confidence, skipped, version, Map.of());
    }

    public Window {
      rewardByTask = Collections.unmodifiableMap(new LinkedHashMap<>(rewardByTask));
    }
  }

  /** Per task of the window's samples (prepared examples only): reward sum and count. */
  private final Map<Task, double[]> byTask = new EnumMap<>(Task.class);

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
    if (s.input() instanceof Prepared p) {
      double[] a = byTask.computeIfAbsent(p.task(), t -> new double[2]);
      a[0] += s.rewardTotal();
      a[1]++;
    }
    n++;
    reward += s.rewardTotal();
    iou += s.reward().parts().getOrDefault("iou", Double.NaN);
    version = Math.max(version, s.version().min());
  }

  /** The means since the last {@link #drain}, without resetting them. */
  public synchronized Window peek() {
    Map<String, Double> tasks = new LinkedHashMap<>();
    if (!(byTask.size() == 1 && byTask.containsKey(Task.SOD))) {
      byTask.forEach((t, a) -> tasks.put("reward_" + t.name().toLowerCase(Locale.ROOT), a[0] / a[1]));
    }
    return new Window(n, n == 0 ? Double.NaN : reward / n, n == 0 ? Double.NaN : iou / n,
        confidenceCount == 0 ? Double.NaN : confidence / confidenceCount, skipped, version, tasks);
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
    byTask.clear();
    return w;
  }
}
