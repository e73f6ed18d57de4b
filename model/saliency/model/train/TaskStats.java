package saliency.model.train;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import saliency.model.text.Task;

/** Per-task means of a batch's rewards for progress lines and metrics; stateless. */
final class TaskStats {
  private TaskStats() {}

  /**
   * {@code reward_TASK} (e.g. {@code reward_sis}) per task of {@code batch}, the mean of its rewards
   * ({@code rewards[i]} answers {@code batch.get(i)}), in {@link Task} order; empty when the batch is all SOD (the
   * plain {@code reward} says it all).
   */
  static Map<String, Double> meanRewardByTask(List<Prepared> batch, double[] rewards) {
    Map<Task, double[]> acc = new EnumMap<>(Task.class);
    for (int i = 0; i < batch.size(); i++) {
      double[] a = acc.computeIfAbsent(batch.get(i).task(), t -> new double[2]);
      a[0] += rewards[i];
      a[1]++;
    }
    Map<String, Double> out = new LinkedHashMap<>();
    if (acc.size() == 1 && acc.containsKey(Task.SOD)) {
      return out;
    }
    acc.forEach((t, a) -> out.put("reward_" + t.name().toLowerCase(Locale.ROOT), a[0] / a[1]));
    return out;
  }
}
