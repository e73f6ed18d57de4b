package saliency.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import saliency.model.text.Task;

/**
 * The tasks a training stream mixes and the share of prompts each takes ({@code train --tasks sod:0.5,sis:0.2,cod:0.3});
 * an immutable value. Shares are positive and sum to 1 (within 1e-6); tasks are kept in {@link Task} order.
 */
public final class TaskMix {
  /** Tasks that can be trained (all of them). */
  public static final List<Task> TRAINABLE = List.of(Task.SOD, Task.SIS, Task.COD, Task.COSOD);

  private final Map<Task, Double> shares;

  private TaskMix(Map<Task, Double> shares) {
    this.shares = Collections.unmodifiableMap(new EnumMap<>(shares));
  }

  /** SOD alone (what a run without {@code --tasks} trains). */
  public static TaskMix sod() {
    return single(Task.SOD);
  }

  /** One task alone. */
  public static TaskMix single(Task task) {
    Objects.requireNonNull(task, "task");
    return new TaskMix(Map.of(task, 1.0));
  }

  /**
   * Reads {@code TASK:SHARE[,TASK:SHARE...]} (a lone {@code TASK} means share 1); task names as in {@link #task}.
   *
   * @throws IllegalArgumentException naming the bad entry: an unknown task, a task listed twice, a
   *     share that is not a number in (0, 1], or shares that do not sum to 1
   */
  public static TaskMix parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.isBlank()) {
      throw new IllegalArgumentException("--tasks is empty; give TASK:SHARE[,TASK:SHARE...], e.g. sod:0.5,sis:0.5");
    }
    Map<Task, Double> shares = new EnumMap<>(Task.class);
    double sum = 0;
    String[] entries = spec.split(",", -1);
    for (String raw : entries) {
      String entry = raw.trim();
      String[] kv = entry.split(":", -1);
      if (entry.isEmpty() || kv.length > 2) {
        throw new IllegalArgumentException("--tasks entry '" + entry + "': expected TASK:SHARE, e.g. sis:0.2");
      }
      Task t = task(kv[0].trim(), "--tasks entry '" + entry + "'");
      double share;
      if (kv.length == 1) {
        if (entries.length > 1) {
          throw new IllegalArgumentException("--tasks entry '" + entry + "': a share is needed when several tasks mix");
        }
        share = 1;
      } else {
        try {
          share = Double.parseDouble(kv[1].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--tasks entry '" + entry + "': share '" + kv[1].trim()
              + "' is not a number");
        }
      }
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("--tasks entry '" + entry + "': share must be in (0, 1], got " + share);
      }
      if (shares.containsKey(t)) {
        throw new IllegalArgumentException("--tasks entry '" + entry + "': task " + kv[0].trim() + " is listed twice");
      }
      shares.put(t, share);
      sum += share;
    }
    if (Math.abs(sum - 1) > 1e-6) {
      throw new IllegalArgumentException("--tasks '" + spec + "': shares sum to "
          + String.format(Locale.ROOT, "%.6g", sum) + ", not 1");
    }
    return new TaskMix(shares);
  }

  /**
   * The task named {@code name} (sod, cod, sis, cosod; any case); {@code where} names the option or entry in the
   * error (e.g. {@code --task}).
   */
  public static Task task(String name, String where) {
    for (Task t : TRAINABLE) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(where + ": unknown task '" + name + "' (known: " + names(TRAINABLE) + ")");
  }

  private static String names(List<Task> tasks) {
    List<String> out = new ArrayList<>();
    tasks.forEach(t -> out.add(t.name().toLowerCase(Locale.ROOT)));
    return String.join(", ", out);
  }

  /** The tasks in {@link Task} order, with their shares. */
  public Map<Task, Double> shares() {
    return shares;
  }

  /** The tasks mixed, in enum order. */
  public List<Task> tasks() {
    return List.copyOf(shares.keySet());
  }

  /** True when only SOD is trained. */
  public boolean sodOnly() {
    return shares.size() == 1 && shares.containsKey(Task.SOD);
  }

  /** The task of a draw {@code u} in [0, 1): the task whose cumulative share interval holds it (enum order). */
  public Task pick(double u) {
    double acc = 0;
    Task last = null;
    for (Map.Entry<Task, Double> e : shares.entrySet()) {
      acc += e.getValue();
      last = e.getKey();
      if (u < acc) {
        return last;
      }
    }
    return last;
  }

  /** The task of prompt {@code index} of a stream seeded {@code seed}: a pure function of both. */
  public Task taskOf(long seed, long index) {
    if (shares.size() == 1) {
      return shares.keySet().iterator().next();
    }
    return pick(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index).nextDouble());
  }

  /** {@code sod:0.5,sis:0.2,...} in enum order (what {@link #parse} reads back). */
  @Override
  public String toString() {
    List<String> out = new ArrayList<>();
    shares.forEach((t, v) -> out.add(t.name().toLowerCase(Locale.ROOT) + ":" + v));
    return String.join(",", out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskMix m && m.shares.equals(shares);
  }

  @Override
  public int hashCode() {
    return shares.hashCode();
  }
}
