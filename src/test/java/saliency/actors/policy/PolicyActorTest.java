package saliency.actors.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.learner.LearnerShard;
import saliency.actors.learner.LearnerSubscriptions;
import saliency.actors.settings.SaliencySettings;
import saliency.streams.GradientExample;
import saliency.streams.GradientResult;
import saliency.streams.LatencyHistogram;
import saliency.streams.PolicyVersion;
import saliency.streams.Sampled;

class PolicyActorTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir static Path runDir;
  static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("policy",
        TestConfigs.cluster(runDir, "pekko.actor.provider = local"));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** Records subscribers instead of reaching a learner. */
  static final class RecordingSubscriptions implements LearnerSubscriptions {
    final List<ActorRef<LearnerShard.SlicePublished>> calls = new CopyOnWriteArrayList<>();

    @Override
    public void subscribe(ActorRef<LearnerShard.SlicePublished> subscriber) {
      calls.add(subscriber);
    }
  }

  static ActorRef<PolicyActor.Command> spawn(FakeBackend backend, int slices, RecordingSubscriptions subs) {
    return kit.spawn(PolicyActor.create(backend, slices, subs, Duration.ofMillis(200)),
        "policy-" + System.nanoTime(), DispatcherSelector.fromConfig(SaliencySettings.TF_DISPATCHER));
  }

  /** The policy's report once {@code ready} holds: slices reach it through its inbox, asynchronously. */
  static PolicyActor.VersionReport awaitReport(ActorRef<PolicyActor.Command> p,
      java.util.function.Predicate<PolicyActor.VersionReport> ready) {
    PolicyActor.VersionReport[] last = new PolicyActor.VersionReport[1];
    kit.createTestProbe().awaitAssert(WAIT, () -> {
      last[0] = version(p);
      assertTrue(ready.test(last[0]), "not yet: " + last[0]);
      return null;
    });
    return last[0];
  }

  static PolicyActor.VersionReport version(ActorRef<PolicyActor.Command> p) {
    TestProbe<PolicyActor.VersionReport> probe = kit.createTestProbe();
    p.tell(new PolicyActor.GetVersion(probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  @Test
  void countsThePublicationLatencyOfStampedUpdatesOnly() {
    FakeBackend backend = new FakeBackend(4, 0f);
    RecordingSubscriptions subs = new RecordingSubscriptions();
    LatencyHistogram publication = new LatencyHistogram();
    ActorRef<PolicyActor.Command> policy = kit.spawn(PolicyActor.create(backend, 2, subs, Duration.ofMillis(200),
        publication), "policy-" + System.nanoTime(), DispatcherSelector.fromConfig(SaliencySettings.TF_DISPATCHER));
    version(policy);
    ActorRef<LearnerShard.SlicePublished> feed = subs.calls.get(0);
    feed.tell(new LearnerShard.SlicePublished(0, 0, new float[] {1f, 1f}, 1)); // a catch-up: no time, not counted
    feed.tell(new LearnerShard.SlicePublished(1, 2, new float[] {2f, 2f}, 1, System.currentTimeMillis() - 250));
    feed.tell(new LearnerShard.SlicePublished(1, 2, new float[] {3f, 3f}, 0, System.currentTimeMillis())); // older
    PolicyActor.VersionReport r = awaitReport(policy, v -> v.slicesSwapped() == 2 && v.slicesIgnored() == 1);
    assertEquals(new PolicyVersion(new long[] {1, 1}), r.version());
    assertEquals(1, publication.count());
    double p50 = publication.percentile(0.5);
    assertTrue(p50 >= 250 && p50 < 250 + WAIT.toMillis(), "the update was published 250 ms before: " + p50);
  }

  @Test
  void swapsInNewerSlicesAndReportsPerSliceVersions() {
    FakeBackend backend = new FakeBackend(6, 0f);
    RecordingSubscriptions subs = new RecordingSubscriptions();
    ActorRef<PolicyActor.Command> policy = spawn(backend, 2, subs);
    assertEquals(PolicyVersion.initial(2), version(policy).version());
    assertTrue(subs.calls.size() >= 1, "subscribes at start");
    ActorRef<LearnerShard.SlicePublished> feed = subs.calls.get(0);

    feed.tell(new LearnerShard.SlicePublished(1, 3, new float[] {7f, 8f, 9f}, 4));
    feed.tell(new LearnerShard.SlicePublished(0, 0, new float[] {1f, 2f, 3f}, 2));
    feed.tell(new LearnerShard.SlicePublished(1, 3, new float[] {-1f, -1f, -1f}, 3)); // older: ignored
    PolicyActor.VersionReport r = awaitReport(policy, v -> v.slicesSwapped() + v.slicesIgnored() == 3);
    assertEquals(new PolicyVersion(new long[] {2, 4}), r.version());
    assertEquals(2, r.slicesSwapped());
    assertEquals(1, r.slicesIgnored(), "the older version 3 is never swapped in");
    assertArrayEquals(new float[] {1f, 2f, 3f, 7f, 8f, 9f}, backend.flatWeights());

    // a slice outside the backend's parameters is refused, not written
    feed.tell(new LearnerShard.SlicePublished(1, 5, new float[] {1f, 1f}, 9));
    awaitReport(policy, v -> v.slicesIgnored() == 2);
    assertEquals(new PolicyVersion(new long[] {2, 4}), version(policy).version());

    // re-subscribes periodically so a restarted learner slice finds it again
    TestProbe<Object> wait = kit.createTestProbe();
    wait.awaitAssert(Duration.ofSeconds(3), () -> {
      assertTrue(subs.calls.size() >= 3, "re-subscriptions: " + subs.calls.size());
      return null;
    });
  }

  @Test
  void servesSamplesAndGradientsOnTheBlockingDispatcherWithItsVersion() throws Exception {
    FakeBackend backend = new FakeBackend(4, 0f);
    RecordingSubscriptions subs = new RecordingSubscriptions();
    ActorRef<PolicyActor.Command> policy = spawn(backend, 1, subs);
    // the actor subscribes when it starts, asynchronously: wait for it
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
      assertTrue(subs.calls.size() >= 1, "subscribed");
      return null;
    });
    subs.calls.get(0).tell(new LearnerShard.SlicePublished(0, 0, new float[] {1, 1, 1, 1}, 7));
    awaitReport(policy, v -> v.version().equals(new PolicyVersion(new long[] {7})));
    PolicyActorClient<String> client = new PolicyActorClient<>(List.of(policy), WAIT, kit.system().scheduler());
    Sampled s = client.sample("img", 3).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(3, s.completions().size());
    assertEquals(new PolicyVersion(new long[] {7}), s.version());
    assertTrue(backend.lastThread.contains("tf-dispatcher"), "ran on " + backend.lastThread);

    GradientResult g = client.gradients(List.of(
            new GradientExample<>("a", new int[] {1}, 0.25, new float[] {-1f}),
            new GradientExample<>("b", new int[] {1}, 0.5, new float[] {-1f})))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertArrayEquals(new float[] {0.75f, 0.75f, 0.75f, 0.75f}, g.gradient());
    assertEquals(-0.75, g.loss(), 1e-9);

    TestProbe<StatusReply<PolicyActor.Scored>> scored = kit.createTestProbe();
    policy.tell(new PolicyActor.ScoreRequest<>("img", new int[][] {{1, 2}, {3}}, scored.ref()));
    PolicyActor.Scored sc = scored.receiveMessage(WAIT).getValue();
    assertEquals(2, sc.tokenLogProbs()[0].length);
    assertEquals(new PolicyVersion(new long[] {7}), sc.version());
  }

  @Test
  void requestsGoToTheActorWithTheLeastQueuedWork() throws Exception {
    FakeBackend a = new FakeBackend(2, 0f);
    FakeBackend b = new FakeBackend(2, 0f);
    a.gradientGate = new java.util.concurrent.CountDownLatch(1);
    b.gradientGate = a.gradientGate;
    ActorRef<PolicyActor.Command> pa = spawn(a, 1, new RecordingSubscriptions());
    ActorRef<PolicyActor.Command> pb = spawn(b, 1, new RecordingSubscriptions());
    PolicyActorClient<String> client = new PolicyActorClient<>(List.of(pa, pb), WAIT, kit.system().scheduler());
    // a gradient of 4 rows (weight 16) held at one actor; every sample after it goes to the other one, where blind
    // round-robin would have queued every second one behind the gradient
    var gradient = client.gradients(List.of(new GradientExample<>("a", new int[] {1}, 0.25, new float[] {-1f}),
        new GradientExample<>("b", new int[] {1}, 0.25, new float[] {-1f}),
        new GradientExample<>("c", new int[] {1}, 0.25, new float[] {-1f}),
        new GradientExample<>("d", new int[] {1}, 0.25, new float[] {-1f})));
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(1, a.gradientCalls.get() + b.gradientCalls.get(), "gradient started");
      return null;
    });
    FakeBackend held = a.gradientCalls.get() == 1 ? a : b;
    FakeBackend free = held == a ? b : a;
    for (int i = 0; i < 4; i++) {
      assertEquals(2, client.sample("img", 2).toCompletableFuture().get(10, TimeUnit.SECONDS).completions().size());
    }
    assertEquals(4, free.sampleCalls.get());
    assertEquals(0, held.sampleCalls.get());
    a.gradientGate.countDown();
    gradient.toCompletableFuture().get(10, TimeUnit.SECONDS);
    // once nothing is queued, requests are spread again
    for (int i = 0; i < 4; i++) {
      client.sample("img", 1).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertTrue(held.sampleCalls.get() >= 1, "the actor that held the gradient samples again");
  }

  @Test
  void callbacksOnTheClientsAnswersRunWhereTheReplyArrivesNotOnANewThread() throws Exception {
    FakeBackend backend = new FakeBackend(2, 0f);
    ActorRef<PolicyActor.Command> policy = spawn(backend, 1, new RecordingSubscriptions());
    PolicyActorClient<String> client = new PolicyActorClient<>(List.of(policy), WAIT, kit.system().scheduler());
    // an ask's own stage runs plain callbacks asynchronously on the common pool, which starts a thread per callback
    // ("Thread-N") when its parallelism is 1 (2 cores); the client's answers must not
    for (int i = 0; i < 3; i++) {
      String thread = client.sample("img", 1).thenApply(s -> Thread.currentThread().getName())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertFalse(thread.matches("Thread-\\d+") || thread.contains("commonPool"), "callback ran on " + thread);
    }
  }

  @Test
  void backendFailureAnswersWithAnErrorAndTheActorKeepsServing() throws Exception {
    FakeBackend backend = new FakeBackend(2, 0f);
    ActorRef<PolicyActor.Command> policy = spawn(backend, 1, new RecordingSubscriptions());
    PolicyActorClient<String> client = new PolicyActorClient<>(List.of(policy), WAIT, kit.system().scheduler());
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.sample("bad-image.png", 1).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(StatusReply.ErrorMessage.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("bad-image.png"), e.getCause().getMessage());
    assertEquals(1, client.sample("ok", 1).toCompletableFuture().get(10, TimeUnit.SECONDS).completions().size());
  }

  @Test
  void greedyBatchAnswersEveryFrameInOrderInOneCallWithTheHeldVersion() throws Exception {
    FakeBackend backend = new FakeBackend(2, 0f);
    RecordingSubscriptions subs = new RecordingSubscriptions();
    ActorRef<PolicyActor.Command> policy = spawn(backend, 1, subs);
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
      assertTrue(subs.calls.size() >= 1, "subscribed");
      return null;
    });
    subs.calls.get(0).tell(new LearnerShard.SlicePublished(0, 0, new float[] {1, 1}, 3));
    PolicyActorClient<String> client = new PolicyActorClient<>(List.of(policy), WAIT, kit.system().scheduler());
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
      List<Sampled> out = client.greedyBatch(List.of("a", "bbb", "cc")).toCompletableFuture().get(10,
          TimeUnit.SECONDS);
      assertEquals(3, out.size());
      assertArrayEquals(new int[] {1, 0}, out.get(0).completions().get(0).tokens());
      assertArrayEquals(new int[] {3, 0}, out.get(1).completions().get(0).tokens());
      assertArrayEquals(new int[] {2, 0}, out.get(2).completions().get(0).tokens());
      assertEquals(new PolicyVersion(new long[] {3}), out.get(2).version());
      return null;
    });
    assertTrue(backend.lastThread.contains("tf-dispatcher"), "ran on " + backend.lastThread);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.greedyBatch(List.of("ok", "bad-frame")).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("greedy failed"), e.getCause().getMessage());
  }
}
