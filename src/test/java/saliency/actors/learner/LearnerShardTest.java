package saliency.actors.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;
import saliency.model.optim.Adam;

class LearnerShardTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  static final int P = 40;
  static final int N = 4;

  @TempDir static Path runDir;
  static ActorTestKit kit;
  static SaliencySettings settings;
  static SliceLayout layout;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("learner", TestConfigs.cluster(runDir,
        "saliency.learner { slices = 4, accumulate = 2, max-staleness = 1, checkpoint-every = 2, adam.lr = 0.1 }"));
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    settings = SaliencySettings.fromConfig(kit.system().settings().config());
    layout = settings.layout(P);
    assertEquals(N, layout.slices());
    LearnerShard.initSharding(kit.system(), settings, layout);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  static float[] ramp(int n, float scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = scale * (i + 1);
    }
    return a;
  }

  static EntityRef<LearnerShard.Command> initialized(int slice, float[] w) {
    EntityRef<LearnerShard.Command> ref = LearnerShard.entityRef(kit.system(), slice);
    TestProbe<LearnerShard.Initialized> init = kit.createTestProbe();
    ref.tell(new LearnerShard.Initialize(w, init.ref()));
    LearnerShard.Initialized got = init.receiveMessage(WAIT);
    assertTrue(got.applied());
    assertEquals(0, got.version());
    return ref;
  }

  static LearnerShard.GradientProcessed send(EntityRef<LearnerShard.Command> ref, int slice, float[] g, long base) {
    TestProbe<LearnerShard.GradientProcessed> ack = kit.createTestProbe();
    ref.tell(new LearnerShard.GradientSlice(slice, g, base, 1, ack.ref()));
    return ack.receiveMessage(WAIT);
  }

  static LearnerShard.Stats stats(EntityRef<LearnerShard.Command> ref) {
    TestProbe<LearnerShard.Stats> p = kit.createTestProbe();
    ref.tell(new LearnerShard.GetStats(p.ref()));
    return p.receiveMessage(WAIT);
  }

  @Test
  void accumulatedGradientsApplyAdamBumpVersionAndPublish() throws Exception {
    int slice = 0;
    int len = layout.length(slice);
    float[] w0 = ramp(len, 0.5f);
    EntityRef<LearnerShard.Command> ref = LearnerShard.entityRef(kit.system(), slice);
    TestProbe<LearnerShard.SlicePublished> sub = kit.createTestProbe();
    ref.tell(new LearnerShard.Subscribe(sub.ref()));
    initialized(slice, w0);
    LearnerShard.SlicePublished p0 = sub.receiveMessage(WAIT);
    assertEquals(0, p0.version());
    assertEquals(layout.offset(slice), p0.offset());
    assertArrayEquals(w0, p0.weights());
    assertTrue(Files.exists(SliceCheckpoint.file(runDir, slice)), "initialization writes a checkpoint");

    float[] g1 = ramp(len, 0.01f);
    float[] g2 = filled(len, -0.03f);
    LearnerShard.GradientProcessed a1 = send(ref, slice, g1, 0);
    assertEquals(LearnerShard.Outcome.ACCEPTED, a1.outcome());
    assertEquals(0, a1.version(), "first of two accumulated gradients applies nothing yet");
    sub.expectNoMessage(Duration.ofMillis(100));
    LearnerShard.GradientProcessed a2 = send(ref, slice, g2, 0);
    assertEquals(LearnerShard.Outcome.ACCEPTED, a2.outcome());
    assertEquals(1, a2.version());

    float[] expected = w0.clone();
    float[] mean = new float[len];
    for (int i = 0; i < len; i++) {
      mean[i] = (float) (((double) g1[i] + g2[i]) / 2);
    }
    new Adam(settings.learner().adam(), len).apply(expected, mean);
    LearnerShard.SlicePublished p1 = sub.receiveMessage(WAIT);
    assertEquals(1, p1.version());
    assertArrayEquals(expected, p1.weights(), 1e-7f);
    assertFalse(java.util.Arrays.equals(w0, p1.weights()));

    // a second Initialize does not overwrite trained weights
    TestProbe<LearnerShard.Initialized> again = kit.createTestProbe();
    ref.tell(new LearnerShard.Initialize(filled(len, 9f), again.ref()));
    LearnerShard.Initialized i2 = again.receiveMessage(WAIT);
    assertFalse(i2.applied());
    assertEquals(1, i2.version());
    LearnerShard.Stats s = stats(ref);
    assertEquals(2, s.accepted());
    assertEquals(1, s.updates());
    assertEquals(1, s.subscribers());
  }

  @Test
  void staleGradientsAreDroppedAndCounted() {
    int slice = 1;
    int len = layout.length(slice);
    EntityRef<LearnerShard.Command> ref = initialized(slice, filled(len, 1f));
    for (int v = 0; v < 2; v++) {
      send(ref, slice, filled(len, 0.1f), v);
      assertEquals(v + 1, send(ref, slice, filled(len, 0.1f), v).version());
    }
    // slice at version 2, max-staleness 1: base 0 is 2 behind -> dropped; base 1 is 1 behind -> accepted
    LearnerShard.GradientProcessed stale = send(ref, slice, filled(len, 5f), 0);
    assertEquals(LearnerShard.Outcome.STALE, stale.outcome());
    assertEquals(2, stale.version());
    assertEquals(LearnerShard.Outcome.ACCEPTED, send(ref, slice, filled(len, 0.1f), 1).outcome());
    assertEquals(LearnerShard.Outcome.FUTURE_VERSION, send(ref, slice, filled(len, 0.1f), 3).outcome());
    LearnerShard.Stats s = stats(ref);
    assertEquals(1, s.droppedStale());
    assertEquals(5, s.accepted());
    assertEquals(1, s.rejectedOther());
    assertEquals(2, s.version());
  }

  @Test
  void nonFiniteAndMisshapenGradientsAreRejectedAndCounted() {
    int slice = 2;
    int len = layout.length(slice);
    float[] w = filled(len, 2f);
    EntityRef<LearnerShard.Command> ref = initialized(slice, w);
    float[] nan = filled(len, 0.1f);
    nan[3] = Float.NaN;
    float[] inf = filled(len, 0.1f);
    inf[0] = Float.NEGATIVE_INFINITY;
    assertEquals(LearnerShard.Outcome.NON_FINITE, send(ref, slice, nan, 0).outcome());
    assertEquals(LearnerShard.Outcome.NON_FINITE, send(ref, slice, inf, 0).outcome());
    assertEquals(LearnerShard.Outcome.BAD_SHAPE, send(ref, slice, filled(len + 1, 0.1f), 0).outcome());
    LearnerShard.Stats s = stats(ref);
    assertEquals(2, s.rejectedNonFinite());
    assertEquals(1, s.rejectedOther());
    assertEquals(0, s.accepted());
    assertEquals(0, s.version());
    TestProbe<LearnerShard.SliceState> state = kit.createTestProbe();
    ref.tell(new LearnerShard.GetSlice(state.ref()));
    assertArrayEquals(w, state.receiveMessage(WAIT).weights(), "rejected gradients leave the weights untouched");
  }

  @Test
  void gradientsBeforeInitializationAreCounted() {
    int slice = 3;
    EntityRef<LearnerShard.Command> ref = LearnerShard.entityRef(kit.system(), slice);
    assertEquals(LearnerShard.Outcome.NOT_INITIALIZED,
        send(ref, slice, filled(layout.length(slice), 0.1f), 0).outcome());
    TestProbe<LearnerShard.Initialized> init = kit.createTestProbe();
    ref.tell(new LearnerShard.Initialize(new float[layout.length(slice) + 2], init.ref()));
    assertFalse(init.receiveMessage(WAIT).applied(), "weights of the wrong length are refused");
    LearnerShard.Stats s = stats(ref);
    assertFalse(s.initialized());
    assertEquals(1, s.notInitialized());
    assertEquals(1, s.rejectedOther());
  }

  @Test
  void aSliceThatHandsOffCheckpointsTheUpdatesSinceItsLastCheckpoint(@TempDir Path own) throws Exception {
    int slice = 3;
    ActorRef<LearnerShard.Command> ref = kit.spawn(LearnerShard.create(slice, layout, settings.learner(), own,
        settings.messageSizeLimit(), settings.serialization().checkSize()));
    TestProbe<LearnerShard.Initialized> init = kit.createTestProbe();
    ref.tell(new LearnerShard.Initialize(filled(layout.length(slice), 0.5f), init.ref()));
    assertTrue(init.receiveMessage(WAIT).applied());
    TestProbe<LearnerShard.GradientProcessed> ack = kit.createTestProbe();
    ref.tell(new LearnerShard.GradientSlice(slice, ramp(layout.length(slice), 0.1f), 0, 1, ack.ref()));
    ref.tell(new LearnerShard.GradientSlice(slice, ramp(layout.length(slice), 0.1f), 0, 1, ack.ref()));
    ack.receiveMessage(WAIT);
    assertEquals(1, ack.receiveMessage(WAIT).version(), "accumulate = 2: one update");
    assertEquals(0, SliceCheckpoint.read(SliceCheckpoint.file(own, slice)).orElseThrow().version(),
        "checkpoint-every = 2: only the initial weights written yet");

    TestProbe<Object> watcher = kit.createTestProbe();
    ref.tell(new LearnerShard.HandOff());
    watcher.expectTerminated(ref, WAIT);
    SliceCheckpoint written = SliceCheckpoint.read(SliceCheckpoint.file(own, slice)).orElseThrow();
    assertEquals(1, written.version(), "the hand-off wrote the update applied here");
  }
}
