package saliency.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.Supervision;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RunnableGraph;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import saliency.model.rl.AdvantageUnit;
import saliency.model.rl.Algorithm;

/**
 * Builds the online training graph {@code source → sample → segment → reward → advantage → gradient → learner};
 * immutable once built, each materialization counts into the {@link PipelineStats} given to the builder.
 *
 * <p>Every stage is a named linear flow with a bounded buffer in front of it and an explicit {@code mapAsync}
 * parallelism, so a slow learner backpressures the source: at most about {@link #inFlightBound()} inputs are between
 * the source and the learner at any time. A stage whose call fails (policy timeout, a throwing segmenter) drops that
 * element, counts it in {@link PipelineStats.Snapshot#failures()}, and the graph keeps going.
 *
 * <p>Grouping follows the {@link Algorithm}'s {@link AdvantageUnit}: a sample unit goes to the estimator alone (no
 * barrier, CGPO); a prompt unit is the algorithm's completions of one prompt, sampled in one policy call and regrouped
 * by prompt before the estimator (a group that lost a member to a failure is dropped and counted; GRPO, GSPO); a window
 * unit is that many consecutive samples (REINFORCE++). Each sample keeps the policy version that produced it; a
 * gradient carries the element-wise oldest version of its batch.
 *
 * @param <X> the labelled input type
 * @param <S> the segmentation type
 */
public final class TrainingGraph<X, S> {
  private final PipelineSettings settings;
  private final Algorithm algorithm;
  private final PolicyClient<X> policy;
  private final LearnerClient learner;
  private final Segmenter<X, S> segmenter;
  private final RewardFunction<X, S> reward;
  private final AdvantageEstimator<X, S> advantage;
  private final Executor cpu;
  private final PipelineStats stats;

  private TrainingGraph(Builder<X, S> b) {
    this.settings = Objects.requireNonNull(b.settings, "settings");
    this.algorithm = Objects.requireNonNull(b.algorithm, "algorithm");
    this.policy = Objects.requireNonNull(b.policy, "policy");
    this.learner = Objects.requireNonNull(b.learner, "learner");
    this.segmenter = Objects.requireNonNull(b.segmenter, "segmenter");
    this.reward = Objects.requireNonNull(b.reward, "reward");
    this.advantage = Objects.requireNonNull(b.advantage, "advantage");
    this.cpu = Objects.requireNonNull(b.cpu, "cpuExecutor");
    this.stats = Objects.requireNonNull(b.stats, "stats");
  }

  /** A builder for {@code algorithm} (completions per prompt, advantage unit) run with {@code settings}. */
  public static <X, S> Builder<X, S> builder(PipelineSettings settings, Algorithm algorithm) {
    return new Builder<>(settings, algorithm);
  }

  /** Collects the graph's collaborators; not thread-safe. */
  public static final class Builder<X, S> {
    private final PipelineSettings settings;
    private final Algorithm algorithm;
    private PolicyClient<X> policy;
    private LearnerClient learner;
    private Segmenter<X, S> segmenter;
    private RewardFunction<X, S> reward;
    private AdvantageEstimator<X, S> advantage;
    private Executor cpu;
    private PipelineStats stats = new PipelineStats();

    private Builder(PipelineSettings settings, Algorithm algorithm) {
      this.settings = Objects.requireNonNull(settings, "settings");
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    }

    public Builder<X, S> policy(PolicyClient<X> p) {
      this.policy = p;
      return this;
    }

    public Builder<X, S> learner(LearnerClient l) {
      this.learner = l;
      return this;
    }

    public Builder<X, S> segmenter(Segmenter<X, S> s) {
      this.segmenter = s;
      return this;
    }

    public Builder<X, S> reward(RewardFunction<X, S> r) {
      this.reward = r;
      return this;
    }

    public Builder<X, S> advantage(AdvantageEstimator<X, S> a) {
      this.advantage = a;
      return this;
    }

    /**
     * Executor for the CPU-bound segment and reward functions; required. (Not the common fork-join pool: on a 2-core
     * machine its parallelism is 1, and {@code CompletableFuture} then starts a new thread for every task.)
     */
    public Builder<X, S> cpuExecutor(Executor e) {
      this.cpu = e;
      return this;
    }

    public Builder<X, S> stats(PipelineStats s) {
      this.stats = s;
      return this;
    }

    public TrainingGraph<X, S> build() {
      return new TrainingGraph<>(this);
    }
  }

  public PipelineStats stats() {
    return stats;
  }

  public PipelineSettings settings() {
    return settings;
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  private <T> Flow<T, T, NotUsed> bounded(String name) {
    return Flow.<T>create().buffer(settings.bufferSize(), OverflowStrategy.backpressure()).named(name + "-buffer");
  }

  /** Drops a failing element, counts it and goes on. */
  private Attributes resuming(String stage) {
    return ActorAttributes.withSupervisionStrategy(
        ex -> {
          stats.failed(stage, ex);
          return (Supervision.Directive) Supervision.resume();
        });
  }

  /** Counts inputs as the source emits them (what the backpressure bound is stated over). */
  public Flow<X, X, NotUsed> countPulled() {
    return Flow.<X>create()
        .map(
            x -> {
              stats.pulled.incrementAndGet();
              return x;
            })
        .named("pulled");
  }

  /**
   * Prompt → its {@code samplesPerPrompt} completions as samples, in order, each with the producing version. With
   * {@code sample-batch} B > 1, up to B prompts that arrive within {@code sample-batch-wait} go to the policy in one
   * call (one device batch); the samples then flow on one by one, with no barrier per prompt.
   */
  public Flow<X, Sample<X, S>, NotUsed> sampleStage() {
    int count = algorithm.completionsPerPrompt();
    Flow<X, Pair<X, Long>, NotUsed> indexed = Flow.<X>create().zipWithIndex().via(bounded("sample"));
    Flow<X, List<Sample<X, S>>, NotUsed> sampled;
    if (settings.sampleBatch() == 1) {
      sampled = indexed.mapAsync(
          settings.sampleParallelism(),
          (Pair<X, Long> p) ->
              policy.sample(p.first(), count).thenApply(s -> toSamples(p.second(), p.first(), count, s)));
    } else {
      sampled = indexed
          .groupedWithin(settings.sampleBatch(), settings.sampleBatchWait())
          .mapAsync(settings.sampleParallelism(), this::sampleBatch);
    }
    return sampled
        .withAttributes(resuming("sample"))
        .mapConcat(list -> list)
        .map(
            s -> {
              stats.samples.incrementAndGet();
              return s;
            })
        .named("sample");
  }

  private CompletionStage<List<Sample<X, S>>> sampleBatch(List<Pair<X, Long>> prompts) {
    int count = algorithm.completionsPerPrompt();
    List<X> inputs = new ArrayList<>(prompts.size());
    for (Pair<X, Long> p : prompts) {
      inputs.add(p.first());
    }
    return policy.sampleBatch(inputs, count).thenApply(answers -> {
      if (answers.size() != prompts.size()) {
        throw new IllegalStateException(
            "policy answered " + answers.size() + " of a batch of " + prompts.size() + " prompts");
      }
      List<Sample<X, S>> out = new ArrayList<>(prompts.size() * count);
      for (int i = 0; i < prompts.size(); i++) {
        out.addAll(toSamples(prompts.get(i).second(), prompts.get(i).first(), count, answers.get(i)));
      }
      return out;
    });
  }

  private List<Sample<X, S>> toSamples(long promptId, X input, int count, Sampled s) {
    if (s.completions().size() != count) {
      throw new IllegalStateException(
          "policy returned " + s.completions().size() + " completions for prompt " + promptId + ", asked " + count);
    }
    List<Sample<X, S>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(Sample.sampled(promptId, i, count, input, s.completions().get(i), s.version()));
    }
    return out;
  }

  /** Sets each sample's segmentation, {@code parallelism.segment} at a time on the CPU executor. */
  public Flow<Sample<X, S>, Sample<X, S>, NotUsed> segmentStage() {
    return Flow.<Sample<X, S>>create()
        .via(bounded("segment"))
        .mapAsync(
            settings.segmentParallelism(),
            s -> CompletableFuture.supplyAsync(
                () -> s.withSegmentation(segmenter.segment(s.input(), s.completion())), cpu))
        .withAttributes(resuming("segment"))
        .named("segment");
  }

  /** Sets each sample's reward, {@code parallelism.reward} at a time on the CPU executor. */
  public Flow<Sample<X, S>, Sample<X, S>, NotUsed> rewardStage() {
    return Flow.<Sample<X, S>>create()
        .via(bounded("reward"))
        .mapAsync(
            settings.rewardParallelism(),
            s -> CompletableFuture.supplyAsync(
                () -> s.withReward(reward.reward(s.input(), s.completion(), s.segmentation())), cpu))
        .withAttributes(resuming("reward"))
        .named("reward");
  }

  /** Groups samples into the algorithm's advantage units, estimates, and emits the samples to train on. */
  public Flow<Sample<X, S>, Sample<X, S>, NotUsed> advantageStage() {
    AdvantageUnit shape = algorithm.unit();
    Flow<Sample<X, S>, List<Sample<X, S>>, NotUsed> units =
        switch (shape.kind()) {
          case SAMPLE -> Flow.<Sample<X, S>>create().map(List::of);
          case PROMPT -> groupByPrompt();
          case WINDOW -> Flow.<Sample<X, S>>create().grouped(shape.size()).map(List::copyOf);
        };
    return Flow.<Sample<X, S>>create()
        .via(bounded("advantage"))
        .via(units)
        .map(
            unit -> {
              List<Sample<X, S>> out = advantage.estimate(unit);
              if (out.isEmpty()) {
                stats.skippedUnits.incrementAndGet();
              }
              for (Sample<X, S> s : out) {
                if (Double.isNaN(s.advantage())) {
                  throw new IllegalStateException("estimator left the advantage unset for prompt " + s.promptId());
                }
              }
              return out;
            })
        .withAttributes(resuming("advantage"))
        .mapConcat(list -> list)
        .named("advantage");
  }

  /**
   * Collects the consecutive completions of one prompt (the sample stage emits them together, in order) and emits the
   * group when all {@code groupSize} arrived; a group cut short by a dropped member is discarded and counted.
   */
  Flow<Sample<X, S>, List<Sample<X, S>>, NotUsed> groupByPrompt() {
    return Flow.<Sample<X, S>>create()
        .statefulMap(
            () -> new ArrayList<Sample<X, S>>(),
            (List<Sample<X, S>> acc, Sample<X, S> s) -> {
              List<Sample<X, S>> emit = List.of();
              if (!acc.isEmpty() && acc.get(0).promptId() != s.promptId()) {
                stats.incompleteGroups.incrementAndGet();
                acc.clear();
              }
              acc.add(s);
              if (acc.size() == s.groupSize()) {
                emit = List.copyOf(acc);
                acc.clear();
              }
              return Pair.create(acc, emit);
            },
            acc -> {
              if (!acc.isEmpty()) {
                stats.incompleteGroups.incrementAndGet();
              }
              return Optional.<List<Sample<X, S>>>empty();
            })
        .filter(g -> !g.isEmpty())
        .named("group-by-prompt");
  }

  /** Micro-batches samples ({@code gradient-batch}) and asks the policy for each batch's flat gradient. */
  public Flow<Sample<X, S>, Gradient, NotUsed> gradientStage() {
    return Flow.<Sample<X, S>>create()
        .grouped(settings.gradientBatch())
        .via(bounded("gradient"))
        .mapAsync(settings.gradientParallelism(), this::gradientOf)
        .withAttributes(resuming("gradient"))
        .map(
            g -> {
              stats.gradients.incrementAndGet();
              return g;
            })
        .named("gradient");
  }

  private CompletionStage<Gradient> gradientOf(List<Sample<X, S>> batch) {
    PolicyVersion base = batch.get(0).version();
    List<GradientExample<X>> examples = new ArrayList<>(batch.size());
    for (Sample<X, S> s : batch) {
      base = base.elementwiseMin(s.version());
      examples.add(GradientExample.of(s));
    }
    PolicyVersion version = base;
    return policy.gradients(examples).thenApply(r -> new Gradient(r.gradient(), version, batch.size(), r.loss()));
  }

  /** Submits gradients to the learner, {@code parallelism.learner} in flight; materializes the running tally. */
  public Sink<Gradient, CompletionStage<SubmitResult>> learnerSink() {
    return Flow.<Gradient>create()
        .via(bounded("learner"))
        .mapAsync(
            settings.learnerParallelism(),
            g -> learner.submit(g).thenApply(r -> {
              if (r.accepted() > 0) {
                stats.trainedSamples.addAndGet(g.sampleCount());
              }
              stats.accepted.addAndGet(r.accepted());
              stats.stale.addAndGet(r.stale());
              stats.rejected.addAndGet(r.rejected());
              return r;
            }))
        .withAttributes(resuming("learner"))
        .toMat(Sink.fold(SubmitResult.NONE, SubmitResult::plus), Keep.right())
        .named("learner");
  }

  /** The stages from input to gradient, without source and sink. */
  public Flow<X, Gradient, NotUsed> toGradients() {
    return countPulled()
        .via(sampleStage())
        .via(segmentStage())
        .via(rewardStage())
        .via(advantageStage())
        .via(gradientStage());
  }

  /**
   * The whole graph on {@code source} (e.g. an endless stream of labelled images); materializes a kill switch to stop
   * it and the tally of learner answers, completed when the graph stops.
   */
  public RunnableGraph<Pair<UniqueKillSwitch, CompletionStage<SubmitResult>>> build(Source<X, ?> source) {
    return source
        .viaMat(KillSwitches.single(), Keep.right())
        .via(toGradients())
        .toMat(learnerSink(), Keep.both());
  }

  /**
   * Upper bound on inputs between the source and the learner's answers (in samples): the buffers and parallelism of
   * every stage, times the completions per prompt, plus the partial groups and micro-batches.
   */
  public long inFlightBound() {
    PipelineSettings s = settings;
    int perPrompt = algorithm.completionsPerPrompt();
    long promptStage = (long) s.bufferSize() + (long) s.sampleParallelism() * s.sampleBatch() + s.sampleBatch();
    long sampleStages = 3L * s.bufferSize() + s.segmentParallelism() + s.rewardParallelism() + 2
        + Math.max(perPrompt, algorithm.unit().size());
    long gradientStages = ((long) s.bufferSize() + s.gradientParallelism() + s.bufferSize()
        + s.learnerParallelism() + 2) * s.gradientBatch() + s.gradientBatch();
    return promptStage * perPrompt + sampleStages + gradientStages;
  }
}
