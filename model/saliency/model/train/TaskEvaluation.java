package saliency.model.train;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.metrics.instance.InstanceMetrics;
import saliency.model.metrics.instance.InstanceResults;
import saliency.model.policy.PolicyNetwork;
import saliency.model.text.ParseResult;
import saliency.model.text.Task;
import saliency.model.text.Vocabulary;

/**
 * Evaluates a policy on held-out examples of several tasks, task by task: the {@link Evaluator}'s figures for every
 * task; for SIS, the instance figures of the greedy answers at original size; for CoSOD, the figures of each image
 * group's maps and their mean over groups ({@link GroupMaps}); stateless apart from its settings.
 *
 * <p>An instance's confidence (what AP ranks by) is the policy's own: {@code exp} of the mean log-probability of the
 * tokens of its {@code <ins>} span, as sampled greedily; an answer whose spans cannot be matched to its instances
 * (they always can for a parsed answer) ranks them by order instead ({@code 1 / (k + 1)}).
 */
public final class TaskEvaluation {
  private static final int BATCH = 32;

  private final ExampleEncoder encoder;
  private final Evaluator evaluator;

  /** @param samples K, the sampled masks averaged into each saliency map (as {@link Evaluator}) */
  public TaskEvaluation(ExampleEncoder encoder, int samples) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.evaluator = new Evaluator(encoder, samples);
  }

  /** The figures of each task present in {@code heldOut}, in {@link Task} order; sampling seeded by {@code seed}. */
  public Map<Task, TaskScores> evaluate(PolicyNetwork net, List<Prepared> heldOut, long seed) {
    Map<Task, List<Prepared>> byTask = new EnumMap<>(Task.class);
    for (Prepared p : heldOut) {
      byTask.computeIfAbsent(p.task(), t -> new ArrayList<>()).add(p);
    }
    Map<Task, TaskScores> out = new EnumMap<>(Task.class);
    for (Map.Entry<Task, List<Prepared>> e : byTask.entrySet()) {
      GroupMaps groups = e.getKey() == Task.COSOD ? new GroupMaps() : null;
      EvalResult region = evaluator.evaluate(net, e.getValue(), seed, (p, map) -> {
        if (groups != null) {
          addToGroup(groups, p, map);
        }
      });
      InstanceResults instances = e.getKey() == Task.SIS ? instances(net, e.getValue(), seed) : null;
      out.put(e.getKey(), new TaskScores(e.getKey(), region, instances, groups == null ? null : groups.results()));
    }
    return out;
  }

  /**
   * Adds the saliency map of CoSOD example {@code p} to its group in {@code groups}.
   *
   * @throws IllegalArgumentException when {@code p} belongs to no group
   */
  public static void addToGroup(GroupMaps groups, Prepared p, double[] map) {
    if (p.group() == null) {
      throw new IllegalArgumentException(p.original().name() + ": a cosod example without a group");
    }
    groups.add(p.group(), p.original().name(), map, p.original().mask());
  }

  /** The instance figures of the greedy answers to {@code examples} (SIS prompts), at original size. */
  public InstanceResults instances(PolicyNetwork net, List<Prepared> examples, long seed) {
    InstanceMetrics metrics = new InstanceMetrics();
    addInstances(net, examples, seed, metrics);
    return metrics.results();
  }

  /** Adds the greedy instance answers to {@code examples} (SIS prompts) and their truths to {@code metrics}. */
  public void addInstances(PolicyNetwork net, List<Prepared> examples, long seed, InstanceMetrics metrics) {
    for (int from = 0; from < examples.size(); from += BATCH) {
      List<Prepared> batch = examples.subList(from, Math.min(examples.size(), from + BATCH));
      int n = batch.size();
      PolicyNetwork.Samples greedy =
          net.sample(ExampleEncoder.stack(batch), n, Prepared.promptTokens(batch), 1.0, true, seed);
      for (int i = 0; i < n; i++) {
        Prepared p = batch.get(i);
        Mask gt = p.original().mask();
        ParseResult r = encoder.decode(greedy.tokens()[i]);
        List<Mask> predicted = TaskRewards.instances(r, gt.width(), gt.height());
        double[] confidences = confidences(greedy.tokens()[i], greedy.tokenLogp()[i], predicted.size());
        List<Mask> truth = p.original().instances().isEmpty() && gt.count() > 0 ? List.of(gt)
            : p.original().instances();
        metrics.add(p.original().name(), predicted, confidences, truth);
      }
    }
  }

  /**
   * One confidence per instance of a completion: {@code exp} of the mean token log-probability over each
   * {@code <ins> ... </ins>} span in order; rank confidences {@code 1 / (k + 1)} when the spans and the
   * {@code instances} parsed differ in number.
   */
  static double[] confidences(int[] tokens, float[] tokenLogp, int instances) {
    List<Double> spans = new ArrayList<>();
    int open = -1;
    for (int t = 0; t < tokens.length && tokens[t] != Vocabulary.END; t++) {
      if (tokens[t] == Vocabulary.INS_OPEN) {
        open = t;
      } else if (tokens[t] == Vocabulary.INS_CLOSE && open >= 0) {
        double sum = 0;
        for (int k = open; k <= t; k++) {
          sum += tokenLogp[k];
        }
        spans.add(Math.exp(sum / (t - open + 1)));
        open = -1;
      }
    }
    double[] c = new double[instances];
    for (int k = 0; k < instances; k++) {
      c[k] = spans.size() == instances ? spans.get(k) : 1.0 / (k + 1);
    }
    return c;
  }
}
