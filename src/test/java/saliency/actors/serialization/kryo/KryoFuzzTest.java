package saliency.actors.serialization.kryo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.NotSerializableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.learner.LearnerShard;
import saliency.actors.policy.PolicyActor;
import saliency.actors.serialization.KryoSerializable;
import saliency.fuzz.Fuzz;
import saliency.fuzz.Mutator;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.PolicyVersion;

/**
 * Bytes mutated from real learner and policy messages for the Kryo deserializer: every case decodes or is refused with
 * {@link NotSerializableException} (what Artery logs and drops), never an Error, each within {@link Fuzz#CASE_LIMIT};
 * no array larger than a small multiple of the frame is allocated.
 */
class KryoFuzzTest {
  private static final int CASES = 1200;

  @TempDir static Path runDir;
  static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("kryofuzz", TestConfigs.cluster(runDir, ""));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static List<Object> messages() {
    float[] w = {1.5f, -2f, Float.MIN_VALUE, 0f, 3e8f};
    PolicyVersion v = new PolicyVersion(new long[] {1, 2, 3});
    Completion c = new Completion(new int[] {5, 6, 300}, "<rg>[[0.1,0.2]]</rg> é",
        new float[] {-0.1f, -0.2f, -0.3f});
    @SuppressWarnings("unchecked")
    GradientExample<String>[] batch = new GradientExample[] {
      new GradientExample<>("img-1", new int[] {1, 2}, 0.5, new float[] {-1f, -2f})};
    List<Object> m = new ArrayList<>();
    m.add(new LearnerShard.Initialize(w, kit.<LearnerShard.Initialized>createTestProbe().ref()));
    m.add(new LearnerShard.GradientSlice(3, w, 7L, 4, kit.<LearnerShard.GradientProcessed>createTestProbe().ref()));
    m.add(new LearnerShard.Subscribe(kit.<LearnerShard.SlicePublished>createTestProbe().ref()));
    m.add(new LearnerShard.Initialized(2, 9L, true));
    m.add(new LearnerShard.GradientProcessed(1, LearnerShard.Outcome.STALE, 12L));
    m.add(new LearnerShard.SlicePublished(1, 100, w, 5L));
    m.add(new LearnerShard.Stats(1, true, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
    m.add(new LearnerShard.SliceState(0, 0, w, 0, false));
    m.add(new PolicyActor.ScoreRequest<>("img-1", new int[][] {{1, 2}, {3}},
        kit.<org.apache.pekko.pattern.StatusReply<PolicyActor.Scored>>createTestProbe().ref()));
    m.add(new PolicyActor.GradientRequest<>(batch,
        kit.<org.apache.pekko.pattern.StatusReply<PolicyActor.GradientsComputed>>createTestProbe().ref()));
    m.add(new PolicyActor.Sampled(new Completion[] {c, c}, v));
    m.add(new PolicyActor.Scored(new float[][] {{-1f}, {-2f, -3f}}, v));
    m.add(new PolicyActor.GradientsComputed(new float[] {0.5f}, 1.25, v));
    m.add(new PolicyActor.VersionReport(v, 4, 5));
    return m;
  }

  @Test
  void mutatedMessagesDecodeOrAreRefused() throws Exception {
    KryoSerializer kryo = (KryoSerializer) SerializationExtension.get(Adapter.toClassic(kit.system()))
        .serializerFor(KryoSerializable.class);
    List<byte[]> valid = new ArrayList<>();
    int largestFrame = 0;
    for (Object m : messages()) {
      byte[] b = kryo.toBinary(m);
      valid.add(b);
      largestFrame = Math.max(largestFrame, b.length);
    }
    Random rnd = new Random(31);
    int decoded = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] b = Mutator.mutate(valid.get(i % valid.size()), rnd);
      largestFrame = Math.max(largestFrame, b.length);
      Object o = Fuzz.check("Kryo", i, b, List.of(NotSerializableException.class), () -> {
        Object r = kryo.fromBinary(b, Object.class);
        return r == null ? "null" : r;
      });
      if (o == null) {
        refused++;
      } else {
        decoded++;
      }
    }
    long largest = kryo.largestAllocation();
    // an array of n elements needs at least n bytes on the wire; 8 bytes of memory per wire byte at most (long[])
    assertTrue(largest <= 8L * largestFrame, "largest allocation " + largest + " for frames of " + largestFrame);
    System.out.printf("fuzz Kryo fromBinary: %d cases, 0 failures, %d decoded, %d refused, largest array %d bytes "
        + "(largest frame %d bytes)%n", CASES, decoded, refused, largest, largestFrame);
  }
}
