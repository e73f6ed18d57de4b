package saliency.actors.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.serialization.MessageSizeGuard;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;
import saliency.streams.Gradient;
import saliency.streams.PolicyVersion;
import saliency.streams.SubmitResult;

/** Two nodes in one JVM: learner messages cross Artery, serialized with Kryo, ActorRefs resolved on the far side. */
class TwoNodeLearnerTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String CONF = "saliency.learner { slices = 4, accumulate = 1, max-staleness = 10, checkpoint-every = 5 }";
  static final int P = 4000;
  @TempDir static Path runDir;
  static ActorTestKit a;
  static ActorTestKit b;
  static SaliencySettings settings;
  static SliceLayout layout;

  @BeforeAll
  static void start() {
    a = ActorTestKit.create("two", TestConfigs.cluster(runDir, CONF));
    b = ActorTestKit.create("two", TestConfigs.cluster(runDir, CONF));
    Cluster ca = Cluster.get(a.system());
    ca.manager().tell(Join.create(ca.selfMember().address()));
    Cluster.get(b.system()).manager().tell(Join.create(ca.selfMember().address()));
    settings = SaliencySettings.fromConfig(a.system().settings().config());
    layout = settings.layout(P);
    LearnerShard.initSharding(a.system(), settings, layout);
    LearnerShard.initSharding(b.system(), settings, layout);
    TestProbe<Object> wait = a.createTestProbe();
    wait.awaitAssert(WAIT, () -> {
      for (ActorTestKit k : new ActorTestKit[] {a, b}) {
        Cluster c = Cluster.get(k.system());
        assertEquals(2, c.state().members().size());
        c.state().getMembers().forEach(m -> assertEquals(MemberStatus.up(), m.status()));
      }
      return null;
    });
  }

  @AfterAll
  static void stop() {
    b.shutdownTestKit();
    a.shutdownTestKit();
  }

  @Test
  void learnerMessagesCrossNodesWithKryo() {
    // a slice actor on node A, addressed from node B by its serialized path
    int len = 1000;
    ActorRef<LearnerShard.Command> onA = a.spawn(LearnerShard.create(0, new SliceLayout(len, 1), settings.learner(),
        runDir.resolve("direct"), settings.messageSizeLimit(), true), "direct-slice");
    String path = ActorRefResolver.get(a.system()).toSerializationFormat(onA);
    ActorRef<LearnerShard.Command> fromB = ActorRefResolver.get(b.system()).resolveActorRef(path);
    assertNotEquals(Cluster.get(a.system()).selfMember().address(), Cluster.get(b.system()).selfMember().address());

    TestProbe<LearnerShard.SlicePublished> sub = b.createTestProbe();
    TestProbe<LearnerShard.Initialized> init = b.createTestProbe();
    TestProbe<LearnerShard.GradientProcessed> ack = b.createTestProbe();
    float[] w = new float[len];
    for (int i = 0; i < len; i++) {
      w[i] = i * 1e-3f;
    }
    fromB.tell(new LearnerShard.Subscribe(sub.ref()));
    fromB.tell(new LearnerShard.Initialize(w, init.ref()));
    assertTrue(init.receiveMessage(WAIT).applied());
    LearnerShard.SlicePublished p0 = sub.receiveMessage(WAIT);
    assertArrayEquals(w, p0.weights());
    float[] g = new float[len];
    java.util.Arrays.fill(g, 0.5f);
    fromB.tell(new LearnerShard.GradientSlice(0, g, 0, 1, ack.ref()));
    LearnerShard.GradientProcessed got = ack.receiveMessage(WAIT);
    assertEquals(LearnerShard.Outcome.ACCEPTED, got.outcome());
    assertEquals(1, got.version());
    assertEquals(1, sub.receiveMessage(WAIT).version());
  }

  @Test
  void shardedSubmissionFromEitherNodeReachesEverySlice() throws Exception {
    MessageSizeGuard guard = new MessageSizeGuard(b.system(), settings.messageSizeLimit(), true);
    ShardedLearnerClient clientB = new ShardedLearnerClient(b.system(), layout, guard, WAIT);
    ShardedLearnerClient clientA = new ShardedLearnerClient(a.system(), layout,
        new MessageSizeGuard(a.system(), settings.messageSizeLimit(), true), WAIT);
    clientB.initialize(new float[P]);
    TestProbe<LearnerShard.SlicePublished> sub = b.createTestProbe();
    clientB.subscribe(sub.ref());
    float[] g = new float[P];
    java.util.Arrays.fill(g, 1f);
    TestProbe<Object> wait = a.createTestProbe();
    // Initialize is a tell: retry the first submission until every slice has its weights
    wait.awaitAssert(WAIT, () -> {
      SubmitResult r = clientB.submit(new Gradient(g, PolicyVersion.initial(layout.slices()), 1, 0))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(new SubmitResult(layout.slices(), 0, 0), r);
      return null;
    });
    SubmitResult r = clientA.submit(new Gradient(g, PolicyVersion.initial(layout.slices()), 1, 0))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(new SubmitResult(layout.slices(), 0, 0), r);
    // the subscriber on node B hears from every slice, wherever sharding placed it
    boolean[] heard = new boolean[layout.slices()];
    wait.awaitAssert(WAIT, () -> {
      LearnerShard.SlicePublished p = sub.receiveMessage(WAIT);
      heard[p.sliceIndex()] = true;
      for (boolean h : heard) {
        assertTrue(h);
      }
      return null;
    });
  }
}
