package saliency.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.learner.LearnerShard;
import saliency.actors.policy.FakeBackend;
import saliency.actors.policy.PolicyActor;
import saliency.actors.settings.SaliencySettings;
import saliency.streams.PipelineStats;
import saliency.streams.Reward;
import saliency.streams.SubmitResult;
import saliency.streams.TrainingGraph;

/** The guardian wires learner slices and policy actors; the training graph runs over them end to end. */
class GuardianTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  static final int P = 20;
  @TempDir static Path runDir;
  static ActorTestKit kit;
  static SaliencySettings settings;
  static FakeBackend[] backends = {new FakeBackend(P, 0.5f), new FakeBackend(P, -3f)};

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("guardian", TestConfigs.cluster(runDir,
        "saliency.learner { slices = 2, accumulate = 1, max-staleness = 1000, checkpoint-every = 3, adam.lr = 0.01 }\n"
            + "saliency.policy.count = 2\n"
            + "saliency.pipeline { gradient-batch = 2 }"));
    settings = SaliencySettings.fromConfig(kit.system().settings().config());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static PolicyActor.VersionReport version(ActorRef<PolicyActor.Command> p) {
    TestProbe<PolicyActor.VersionReport> probe = kit.createTestProbe();
    p.tell(new PolicyActor.GetVersion(probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  @Test
  void wiresLearnerAndPoliciesAndTrainsEndToEnd() throws Exception {
    ActorRef<Guardian.Command> guardian = kit.spawn(Guardian.create(settings, i -> backends[i]), "guardian");
    TestProbe<Guardian.Wiring> wiringProbe = kit.createTestProbe();
    guardian.tell(new Guardian.GetWiring(wiringProbe.ref()));
    Guardian.Wiring wiring = wiringProbe.receiveMessage(WAIT);
    assertEquals(2, wiring.policies().size());
    assertEquals(2, wiring.layout().slices());

    // every policy gets the learner's version-0 slices, which are policy 0's initial weights
    float[] initial = new float[P];
    java.util.Arrays.fill(initial, 0.5f);
    TestProbe<Object> wait = kit.createTestProbe();
    wait.awaitAssert(WAIT, () -> {
      assertArrayEquals(initial, backends[1].flatWeights());
      return null;
    });

    TrainingGraph<String, Integer> graph = TrainingGraph.<String, Integer>builder(settings.pipeline(), settings.rl().algorithm())
        .cpuExecutor(kit.system().executionContext())
        .policy(wiring.<String>policyClient(kit.system(), WAIT))
        .learner(wiring.learner())
        .segmenter((x, c) -> c.tokens()[0])
        .reward((x, c, seg) -> Reward.of(seg > 0 ? 1.0 : 0.0))
        .advantage(unit -> List.of(unit.get(0).withAdvantage(unit.get(0).rewardTotal() - 0.5, 0.5)))
        .build();
    List<String> prompts = List.of("a", "bb", "ccc", "dddd", "e", "ff", "ggg", "hhhh");
    SubmitResult tally = graph.build(Source.from(prompts)).run(kit.system()).second()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    PipelineStats.Snapshot s = graph.stats().snapshot();
    assertEquals(8, s.trainedSamples());
    assertEquals(4, s.gradients());
    assertEquals(new SubmitResult(8, 0, 0), tally, "4 gradients x 2 slices, none stale or rejected");

    // the learner stepped 4 times per slice, and both policies converge to the learner's weights and versions
    float[][] learnerSlices = new float[2][];
    for (int i = 0; i < 2; i++) {
      TestProbe<LearnerShard.SliceState> st = kit.createTestProbe();
      LearnerShard.entityRef(kit.system(), i).tell(new LearnerShard.GetSlice(st.ref()));
      LearnerShard.SliceState state = st.receiveMessage(WAIT);
      assertEquals(4, state.version());
      learnerSlices[i] = state.weights();
    }
    float[] learnerFlat = new float[P];
    System.arraycopy(learnerSlices[0], 0, learnerFlat, 0, learnerSlices[0].length);
    System.arraycopy(learnerSlices[1], 0, learnerFlat, learnerSlices[0].length, learnerSlices[1].length);
    assertTrue(learnerFlat[0] != 0.5f, "weights moved");
    for (int i = 0; i < 2; i++) {
      ActorRef<PolicyActor.Command> p = wiring.policies().get(i);
      FakeBackend b = backends[i];
      wait.awaitAssert(WAIT, () -> {
        assertEquals(4, version(p).version().min());
        assertArrayEquals(learnerFlat, b.flatWeights());
        return null;
      });
    }
  }
}
