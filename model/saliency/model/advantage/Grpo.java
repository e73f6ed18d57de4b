package saliency.model.advantage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * GRPO (DESIGN §7): completions grouped by prompt id, {@code A_i = (r_i - mean) / (std + 1e-4)} with the population
 * standard deviation of the group; groups with zero reward spread ({@code max - min < 1e-9}, a group of one included)
 * are skipped and counted; stateless.
 */
public final class Grpo implements AdvantageEstimator {
  @Override
  public String name() {
    return "grpo";
  }

  @Override
  public AdvantageResult estimate(List<Scored> batch) {
    Objects.requireNonNull(batch, "batch");
    double[] a = new double[batch.size()];
    boolean[] kept = new boolean[batch.size()];
    int skipped = groupAdvantages(batch, a, kept);
    return AdvantageResult.withoutRatios(a, kept, skipped);
  }

  /** Fills group-normalized advantages and kept flags; returns the number of skipped groups. */
  static int groupAdvantages(List<Scored> batch, double[] a, boolean[] kept) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      groups.computeIfAbsent(batch.get(i).promptId(), k -> new ArrayList<>()).add(i);
    }
    int skipped = 0;
    for (List<Integer> g : groups.values()) {
      double[] r = new double[g.size()];
      for (int k = 0; k < r.length; k++) {
        r[k] = batch.get(g.get(k)).reward();
      }
      double[] norm = normalize(r);
      if (norm == null) {
        skipped++;
        continue; // advantages stay 0, kept stays false
      }
      for (int k = 0; k < r.length; k++) {
        a[g.get(k)] = norm[k];
        kept[g.get(k)] = true;
      }
    }
    return skipped;
  }

  /**
   * {@code (r - mean) / (populationStd + 1e-4)}, or null when the rewards span less than {@link
   * AdvantageEstimator#ZERO_SPREAD} (fewer than two rewards included).
   */
  static double[] normalize(double[] r) {
    if (r.length < 2) {
      return null;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (double v : r) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    if (max - min < AdvantageEstimator.ZERO_SPREAD) {
      return null;
    }
    double mean = sum / r.length;
    double ss = 0;
    for (double v : r) {
      ss += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(ss / r.length);
    double[] out = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = (r[i] - mean) / (std + AdvantageEstimator.STD_EPS);
    }
    return out;
  }
}
