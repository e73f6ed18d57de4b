package saliency.actors.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;
import saliency.model.optim.Adam;

/** Learner slices survive a killed node: checkpointed updates are kept, versions never go backwards. */
class LearnerResumeTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String CONF =
      "saliency.learner { slices = 2, accumulate = 1, max-staleness = 8, checkpoint-every = 2, adam.lr = 0.05 }";
  static final int P = 12;

  @TempDir Path runDir;

  static ActorTestKit startNode(Path runDir, SliceLayout[] layout) {
    return startNode(runDir, layout, "");
  }

  /** A node with {@code extra} config before the test's. */
  static ActorTestKit startNode(Path runDir, SliceLayout[] layout, String extra) {
    ActorTestKit kit = ActorTestKit.create("resume", TestConfigs.cluster(runDir, extra + CONF));
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    SaliencySettings settings = SaliencySettings.fromConfig(kit.system().settings().config());
    layout[0] = settings.layout(P);
    LearnerShard.initSharding(kit.system(), settings, layout[0]);
    return kit;
  }

  static float[] gradient(int step, int len) {
    float[] g = new float[len];
    for (int i = 0; i < len; i++) {
      g[i] = (float) Math.sin(0.7 * step + 0.3 * i);
    }
    return g;
  }

  static LearnerShard.GradientProcessed send(ActorTestKit kit, EntityRef<LearnerShard.Command> ref, int slice, float[] g,
      long base) {
    TestProbe<LearnerShard.GradientProcessed> ack = kit.createTestProbe();
    ref.tell(new LearnerShard.GradientSlice(slice, g, base, 1, ack.ref()));
    return ack.receiveMessage(WAIT);
  }

  @Test
  void checkpointedUpdatesSurviveAKilledNodeAndTrainingContinues() {
    SliceLayout[] layout = new SliceLayout[1];
    int slice = 1;
    Adam.Settings adamSettings;
    List<LearnerShard.SlicePublished> published = new ArrayList<>();

    // a crash, not a graceful leave: the system stops without coordinated shutdown, so no slice hands off (a hand-off
    // would checkpoint the updates since the last checkpoint)
    ActorTestKit first = startNode(runDir, layout, "pekko.coordinated-shutdown.run-by-actor-system-terminate = off\n");
    int len = layout[0].length(slice);
    Adam reference;
    float[] referenceWeights = new float[len];
    for (int i = 0; i < len; i++) {
      referenceWeights[i] = 0.1f * i;
    }
    float[] atCheckpoint;
    Adam atCheckpointAdam;
    try {
      adamSettings = SaliencySettings.fromConfig(first.system().settings().config()).learner().adam();
      reference = new Adam(adamSettings, len);
      EntityRef<LearnerShard.Command> ref = LearnerShard.entityRef(first.system(), slice);
      TestProbe<LearnerShard.SlicePublished> sub = first.createTestProbe();
      ref.tell(new LearnerShard.Subscribe(sub.ref()));
      TestProbe<LearnerShard.Initialized> init = first.createTestProbe();
      ref.tell(new LearnerShard.Initialize(referenceWeights.clone(), init.ref()));
      assertTrue(init.receiveMessage(WAIT).applied());
      published.add(sub.receiveMessage(WAIT));
      atCheckpoint = null;
      atCheckpointAdam = null;
      // five updates; checkpoint-every = 2 writes after versions 2 and 4, so update 5 is lost with the node
      for (int step = 1; step <= 5; step++) {
        float[] g = gradient(step, len);
        LearnerShard.GradientProcessed ack = send(first, ref, slice, g, step - 1);
        assertEquals(LearnerShard.Outcome.ACCEPTED, ack.outcome());
        assertEquals(step, ack.version());
        reference.apply(referenceWeights, g);
        LearnerShard.SlicePublished p = sub.receiveMessage(WAIT);
        assertEquals(step, p.version());
        assertArrayEquals(referenceWeights, p.weights(), 1e-6f);
        published.add(p);
        if (step == 4) {
          atCheckpoint = referenceWeights.clone();
          atCheckpointAdam = new Adam(adamSettings, reference.firstMoment().clone(), reference.secondMoment().clone(),
              reference.step());
        }
      }
    } finally {
      // no graceful hand-off: the node's actors stop without writing anything beyond their last checkpoint
      first.shutdownTestKit();
    }
    long lastPublished = published.get(published.size() - 1).version();
    assertEquals(5, lastPublished);

    ActorTestKit second = startNode(runDir, layout);
    try {
      EntityRef<LearnerShard.Command> ref = LearnerShard.entityRef(second.system(), slice);
      TestProbe<LearnerShard.SliceState> state = second.createTestProbe();
      ref.tell(new LearnerShard.GetSlice(state.ref()));
      LearnerShard.SliceState restored = state.receiveMessage(WAIT);
      assertTrue(restored.initialized());
      assertArrayEquals(atCheckpoint, restored.weights(), "weights equal the last checkpoint (version 4)");
      assertTrue(restored.version() > lastPublished,
          "restored version " + restored.version() + " must exceed every version published before the crash");
      assertEquals(4 + 2, restored.version(), "checkpoint version + checkpoint-every");

      // a gradient drawn from pre-crash weights within max-staleness is still taken; Adam continues from its moments
      float[] g = gradient(6, len);
      LearnerShard.GradientProcessed ack = send(second, ref, slice, g, 4);
      assertEquals(LearnerShard.Outcome.ACCEPTED, ack.outcome());
      assertEquals(restored.version() + 1, ack.version());
      float[] expected = atCheckpoint.clone();
      atCheckpointAdam.apply(expected, g);
      ref.tell(new LearnerShard.GetSlice(state.ref()));
      LearnerShard.SliceState after = state.receiveMessage(WAIT);
      assertArrayEquals(expected, after.weights(), 1e-6f, "moments and step restored");
      assertFalse(java.util.Arrays.equals(atCheckpoint, after.weights()));

      // the untouched slice 0 was initialized but never trained; it restores its initial weights
      ref = LearnerShard.entityRef(second.system(), 0);
      ref.tell(new LearnerShard.GetSlice(state.ref()));
      LearnerShard.SliceState other = state.receiveMessage(WAIT);
      assertFalse(other.initialized(), "slice 0 never got Initialize in the first run, so it has no checkpoint");
    } finally {
      second.shutdownTestKit();
    }
  }
}
