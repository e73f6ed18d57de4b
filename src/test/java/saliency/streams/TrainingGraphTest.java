package saliency.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import saliency.model.rl.Algorithm;
import saliency.model.rl.AlgorithmName;
import saliency.model.rl.RlSettings;

class TrainingGraphTest {
  static ActorSystem system;
  static final PolicyVersion V = new PolicyVersion(new long[] {3, 5});

  @BeforeAll
  static void start() {
    system = ActorSystem.create("graph-test",
        com.typesafe.config.ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING"));
  }

  @AfterAll
  static void stop() {
    org.apache.pekko.testkit.javadsl.TestKit.shutdownActorSystem(system);
  }

  static final PipelineSettings SETTINGS = new PipelineSettings(2, 2, 2, 2, 2, 2, 4);

  /** The algorithm {@code name} with group size {@code g} and a REINFORCE++ window of 4. */
  static Algorithm algo(AlgorithmName name, int g) {
    return RlSettings.defaults().withAlgo(name, "calibrated").withGroupSize(g).withWindow(4).algorithm();
  }

  /** Estimator: advantage = reward - groupMean (CGPO-like for single samples: reward - 0.5), confidence 0.5. */
  static AdvantageEstimator<String, Integer> meanBaseline(List<List<Sample<String, Integer>>> seen) {
    return unit -> {
      seen.add(List.copyOf(unit));
      double mean = unit.size() == 1 ? 0.5 : unit.stream().mapToDouble(Sample::rewardTotal).average().orElse(0);
      List<Sample<String, Integer>> out = new ArrayList<>();
      for (Sample<String, Integer> s : unit) {
        out.add(s.withAdvantage(s.rewardTotal() - mean, mean));
      }
      return out;
    };
  }

  static TrainingGraph<String, Integer> graph(PipelineSettings s, Algorithm a, PolicyClient<String> policy,
      LearnerClient learner, List<List<Sample<String, Integer>>> seen) {
    return TrainingGraph.<String, Integer>builder(s, a)
        .cpuExecutor(system.dispatcher())
        .policy(policy)
        .learner(learner)
        .segmenter((x, c) -> c.tokens()[1])
        .reward((x, c, seg) -> Reward.of(seg == 0 ? 1.0 : 0.0))
        .advantage(meanBaseline(seen))
        .build();
  }

  static final LearnerClient ACCEPT_ALL = g -> CompletableFuture.completedFuture(new SubmitResult(2, 0, 0));

  @Test
  void batchedSamplingGroupsPromptsIntoFewPolicyCallsAndKeepsOrderAndGroups() throws Exception {
    FakePolicyClient policy = new FakePolicyClient(4, V);
    PipelineSettings s = new PipelineSettings(2, 1, 2, 2, 2, 2, 4, 4, Duration.ofSeconds(1));
    List<List<Sample<String, Integer>>> seen = new CopyOnWriteArrayList<>();
    TrainingGraph<String, Integer> g = graph(s, algo(AlgorithmName.GRPO, 2), policy, ACCEPT_ALL, seen);
    List<String> prompts = List.of("a", "bb", "ccc", "dddd", "e", "ff", "ggg", "hhhh", "i", "jj");
    g.build(Source.from(prompts)).run(system).second().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(0, policy.sampleCalls.get() - prompts.size(), "one inner sample per prompt");
    assertEquals(List.of(4, 4, 2), policy.batchSizes, "batches of up to sample-batch prompts");
    assertEquals(10, seen.size(), "every prompt's group of 2 reached the estimator whole");
    for (List<Sample<String, Integer>> unit : seen) {
      assertEquals(2, unit.size());
      assertEquals(unit.get(0).promptId(), unit.get(1).promptId());
      assertEquals(prompts.get((int) unit.get(0).promptId()).length(), unit.get(0).completion().tokens()[0]);
    }
    assertEquals(20, g.stats().snapshot().trainedSamples());
  }

  @Test
  void sampleStageEmitsGroupSizeCompletionsPerPromptWithVersion() {
    FakePolicyClient policy = new FakePolicyClient(4, V);
    TrainingGraph<String, Integer> g = graph(SETTINGS, algo(AlgorithmName.GRPO, 3), policy, ACCEPT_ALL, new ArrayList<>());
    Pair<TestPublisher.Probe<String>, TestSubscriber.Probe<Sample<String, Integer>>> probes =
        TestSource.<String>create(system).via(g.sampleStage()).toMat(TestSink.create(system), Keep.both())
            .run(system);
    probes.second().request(6);
    probes.first().sendNext("a").sendNext("bb");
    List<Sample<String, Integer>> got = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      got.add(probes.second().expectNext());
    }
    for (int i = 0; i < 6; i++) {
      Sample<String, Integer> s = got.get(i);
      assertEquals(i / 3, s.promptId());
      assertEquals(i % 3, s.indexInGroup());
      assertEquals(3, s.groupSize());
      assertEquals(i < 3 ? "a" : "bb", s.input());
      assertEquals(V, s.version());
      assertEquals(i % 3, s.completion().tokens()[1]);
    }
    assertEquals(2, policy.sampleCalls.get(), "one policy call per prompt");
    probes.first().sendComplete();
    probes.second().expectComplete();
  }

  @Test
  void cgpoSampleFlowsThroughWithoutWaitingForOthers() {
    FakePolicyClient policy = new FakePolicyClient(4, V);
    List<List<Sample<String, Integer>>> seen = new CopyOnWriteArrayList<>();
    TrainingGraph<String, Integer> g = graph(SETTINGS, algo(AlgorithmName.CGPO, 1), policy, ACCEPT_ALL, seen);
    Pair<TestPublisher.Probe<String>, TestSubscriber.Probe<Sample<String, Integer>>> probes =
        TestSource.<String>create(system)
            .via(g.sampleStage())
            .via(g.segmentStage())
            .via(g.rewardStage())
            .via(g.advantageStage())
            .toMat(TestSink.create(system), Keep.both())
            .run(system);
    probes.second().request(1);
    probes.first().sendNext("x");
    Sample<String, Integer> s = probes.second().expectNext(Duration.ofSeconds(3));
    assertEquals(0, s.segmentation());
    assertEquals(1.0, s.rewardTotal());
    assertEquals(0.5, s.advantage(), 1e-12);
    assertEquals(0.5, s.confidence(), 1e-12);
    assertEquals(V, s.version(), "the advantage stage keeps the sampling version");
    assertEquals(1, seen.size());
    assertEquals(1, seen.get(0).size(), "CGPO estimates one sample at a time");
    probes.first().sendComplete();
    probes.second().request(1).expectComplete();
  }

  @Test
  void grpoGroupsPerPromptAndDropsCutGroups() {
    List<List<Sample<String, Integer>>> seen = new CopyOnWriteArrayList<>();
    TrainingGraph<String, Integer> g = graph(SETTINGS, algo(AlgorithmName.GRPO, 3), new FakePolicyClient(4, V), ACCEPT_ALL, seen);
    Completion c = new Completion(new int[] {1, 0}, "t", new float[] {-1, -1});
    List<Sample<String, Integer>> in = new ArrayList<>();
    // prompt 0 lost its third member upstream; prompt 1 is complete
    for (int i = 0; i < 2; i++) {
      in.add(Sample.<String, Integer>sampled(0, i, 3, "p0", c, V).withReward(Reward.of(i)));
    }
    for (int i = 0; i < 3; i++) {
      in.add(Sample.<String, Integer>sampled(1, i, 3, "p1", c, V).withReward(Reward.of(i)));
    }
    TestSubscriber.Probe<Sample<String, Integer>> out =
        Source.from(in).via(g.advantageStage()).runWith(TestSink.create(system), system);
    out.request(10);
    double[] adv = new double[3];
    for (int i = 0; i < 3; i++) {
      Sample<String, Integer> s = out.expectNext();
      assertEquals(1, s.promptId());
      adv[s.indexInGroup()] = s.advantage();
    }
    out.expectComplete();
    assertArrayEquals(new double[] {-1, 0, 1}, adv, 1e-12);
    assertEquals(1, seen.size());
    assertEquals(3, seen.get(0).size());
    assertEquals(1, g.stats().snapshot().incompleteGroups());
  }

  @Test
  void reinforcePlusPlusEstimatesOverWindowsOfSingleSamples() {
    List<List<Sample<String, Integer>>> seen = new CopyOnWriteArrayList<>();
    TrainingGraph<String, Integer> g =
        graph(SETTINGS, algo(AlgorithmName.REINFORCE_PP, 1), new FakePolicyClient(4, V), ACCEPT_ALL, seen);
    TestSubscriber.Probe<Sample<String, Integer>> out = Source.from(List.of("a", "b", "c", "d", "e", "f"))
        .via(g.sampleStage())
        .via(g.segmentStage())
        .via(g.rewardStage())
        .via(g.advantageStage())
        .runWith(TestSink.create(system), system);
    out.request(10);
    for (int i = 0; i < 6; i++) {
      Sample<String, Integer> x = out.expectNext();
      assertEquals(1, x.groupSize(), "one completion per prompt");
    }
    out.expectComplete();
    assertEquals(List.of(4, 2), seen.stream().map(List::size).toList(), "windows of baseline-window, then the rest");
  }

  @Test
  void gradientStageCarriesOldestVersionOfBatch() {
    FakePolicyClient policy = new FakePolicyClient(3, V);
    TrainingGraph<String, Integer> g = graph(SETTINGS, algo(AlgorithmName.CGPO, 1), policy, ACCEPT_ALL, new ArrayList<>());
    Completion c = new Completion(new int[] {1, 0}, "t", new float[] {-1, -1});
    List<Sample<String, Integer>> in = List.of(
        Sample.<String, Integer>sampled(0, 0, 1, "a", c, new PolicyVersion(new long[] {4, 2})).withAdvantage(0.25, 0),
        Sample.<String, Integer>sampled(1, 0, 1, "b", c, new PolicyVersion(new long[] {3, 6})).withAdvantage(0.5, 0),
        Sample.<String, Integer>sampled(2, 0, 1, "c", c, V).withAdvantage(1, 0));
    TestSubscriber.Probe<Gradient> out = Source.from(in).via(g.gradientStage()).runWith(TestSink.create(system),
        system);
    out.request(5);
    Gradient first = out.expectNext();
    Gradient second = out.expectNext();
    out.expectComplete();
    assertEquals(new PolicyVersion(new long[] {3, 2}), first.baseVersion());
    assertEquals(2, first.sampleCount());
    assertArrayEquals(new float[] {0.75f, 0.75f, 0.75f}, first.values());
    assertEquals(V, second.baseVersion());
    assertEquals(1, second.sampleCount());
    assertEquals(List.of("a", "b"), policy.gradientBatches.get(0).stream().map(GradientExample::input).toList());
  }

  @Test
  void failedPolicyCallIsCountedAndTheGraphGoesOn() throws Exception {
    FakePolicyClient policy = new FakePolicyClient(2, V);
    policy.failOn = "bad";
    TrainingGraph<String, Integer> g = graph(SETTINGS, algo(AlgorithmName.CGPO, 1), policy, ACCEPT_ALL, new ArrayList<>());
    SubmitResult r = g.build(Source.from(List.of("a", "bad", "c", "d", "e")))
        .run(system).second().toCompletableFuture().get(5, TimeUnit.SECONDS);
    PipelineStats.Snapshot s = g.stats().snapshot();
    assertEquals(5, s.pulled());
    assertEquals(4, s.samples());
    assertEquals(1, s.failures());
    assertTrue(s.lastFailure().startsWith("sample: ") && s.lastFailure().contains("bad"), s.lastFailure());
    assertEquals(2, s.gradients(), "4 samples in micro-batches of 2");
    assertEquals(4, s.trainedSamples());
    assertEquals(new SubmitResult(4, 0, 0), r);
  }

  @Test
  void iteratorSourceFeedsTheWholeGraph() throws Exception {
    FakePolicyClient policy = new FakePolicyClient(2, V);
    TrainingGraph<String, Integer> g = graph(SETTINGS, algo(AlgorithmName.GRPO, 2), policy, ACCEPT_ALL, new ArrayList<>());
    Source<String, ?> src = IteratorSources.fromIterator(() -> List.of("a", "b", "c").iterator());
    g.build(src).run(system).second().toCompletableFuture().get(5, TimeUnit.SECONDS);
    // 3 prompts x 2 completions; grouped reward is 1,0 in each group, so every group has spread
    assertEquals(6, g.stats().snapshot().trainedSamples());
    assertEquals(3, g.stats().snapshot().gradients());
  }

  @Test
  void slowLearnerBackpressuresTheSource() throws Exception {
    // one gradient at a time, 20 ms each: at most 50 gradients per second however many are submitted
    ExecutorService timer = Executors.newSingleThreadExecutor();
    AtomicLong submitted = new AtomicLong();
    LearnerClient slow = gr -> CompletableFuture.supplyAsync(() -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      submitted.incrementAndGet();
      return new SubmitResult(1, 0, 0);
    }, timer);
    Algorithm grpo = algo(AlgorithmName.GRPO, 2);
    TrainingGraph<String, Integer> g = graph(SETTINGS, grpo, new FakePolicyClient(2, V), slow, new ArrayList<>());
    Iterator<String> endless = new Iterator<>() {
      long n;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public String next() {
        return "img-" + (n++);
      }
    };
    Pair<UniqueKillSwitch, CompletionStage<SubmitResult>> running =
        g.build(IteratorSources.fromIterator(() -> endless)).run(system);
    try {
      long bound = g.inFlightBound();
      long perPrompt = grpo.completionsPerPrompt();
      long[] inFlight = new long[3];
      long[] pulled = new long[3];
      for (int i = 0; i < 3; i++) {
        Thread.sleep(500);
        pulled[i] = g.stats().pulled();
        // inputs pulled but not yet answered by the learner, in samples
        inFlight[i] = pulled[i] * perPrompt - g.stats().trainedSamples();
        assertTrue(inFlight[i] <= bound, "in flight " + inFlight[i] + " > bound " + bound + " at " + i);
      }
      // the source follows the learner's pace instead of running ahead of it
      long learnerPace = (submitted.get() + 2) * SETTINGS.gradientBatch() / perPrompt;
      assertTrue(pulled[2] <= learnerPace + bound, "pulled " + pulled[2] + " vs learner pace " + learnerPace);
      assertTrue(pulled[2] > pulled[0], "the source keeps flowing at the learner's pace");
    } finally {
      running.first().shutdown();
      running.second().toCompletableFuture().get(5, TimeUnit.SECONDS);
      timer.shutdownNow();
    }
  }

  @Test
  void aGraphWithoutACpuExecutorIsRefused() {
    // no silent default: the common fork-join pool would start a thread per segment and reward task on 2 cores
    NullPointerException e = org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
        () -> TrainingGraph.<String, Integer>builder(SETTINGS, algo(AlgorithmName.CGPO, 1))
            .policy(new FakePolicyClient(4, V))
            .learner(ACCEPT_ALL)
            .segmenter((x, c) -> 0)
            .reward((x, c, seg) -> Reward.of(0))
            .advantage(meanBaseline(new ArrayList<>()))
            .build());
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cpuExecutor"), e.getMessage());
  }
}
