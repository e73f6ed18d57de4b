package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import saliency.model.data.LabelledImage;
import saliency.model.policy.PolicyConfig;
import saliency.model.policy.PolicyNetwork;
import saliency.model.text.Task;
import saliency.model.text.Vocabulary;

/**
 * The policy's group context: off, the graph and its parameter count are as before; on, the same image scores
 * differently under two different groups; the encoder lays each CoSOD example's group out after its own image.
 */
class GroupContextTest {
  /** A tiny conv policy: 16x16 images, grid 4x4 of 6 channels. */
  private static final PolicyConfig TINY =
      new PolicyConfig(16, 82, 6, List.of(4, 6), 12, 8, 8, 6, "/CPU:0", 1, 1, 3L, 0, 1, false);
  /** Its weights counted by hand: encoder 690, decoder 3114, confidence head 541. */
  private static final int TINY_PARAMETERS = 4345;

  @Test
  void offKeepsTheParameterLayoutOnAddsTheGate() {
    assertEquals(0, TINY.groupContext());
    assertEquals(16 * 16 * 3, TINY.inputSize());
    try (PolicyNetwork off = PolicyNetwork.create(TINY);
        PolicyNetwork on = PolicyNetwork.create(TINY.withGroupContext(3))) {
      assertEquals(TINY_PARAMETERS, off.parameterCount());
      assertEquals(TINY_PARAMETERS + 6 * 6 + 6, on.parameterCount()); // the (C, C) gate and its bias
      assertEquals(3 * 16 * 16 * 3, on.config().inputSize());
    }
  }

  @Test
  void theSameImageScoresDifferentlyUnderTwoGroups() {
    Random r = new Random(5);
    float[] own = random(r, 16 * 16 * 3);
    float[] groupA = concat(own, random(r, 16 * 16 * 3), random(r, 16 * 16 * 3));
    float[] groupB = concat(own, random(r, 16 * 16 * 3), random(r, 16 * 16 * 3));
    float[] alone = concat(own, own, own);
    int[][] completion = {{Vocabulary.RG_OPEN, Vocabulary.FIRST_COORD + 3, Vocabulary.FIRST_COORD + 9,
        Vocabulary.RG_CLOSE, Vocabulary.END}};
    int[] prompt = {Vocabulary.COSOD};
    try (PolicyNetwork net = PolicyNetwork.create(TINY.withGroupContext(3))) {
      float[] a = net.score(groupA, 1, prompt, completion).tokenLogp()[0];
      float[] a2 = net.score(groupA, 1, prompt, completion).tokenLogp()[0];
      float[] b = net.score(groupB, 1, prompt, completion).tokenLogp()[0];
      float[] c = net.score(alone, 1, prompt, completion).tokenLogp()[0];
      assertArrayEquals(a, a2);
      assertFalse(Arrays.equals(a, b), "two groups, same log-probabilities " + Arrays.toString(a));
      assertFalse(Arrays.equals(a, c), "a group and the image alone, same log-probabilities");
      double diff = 0;
      for (int i = 0; i < a.length; i++) {
        diff += Math.abs(a[i] - b[i]);
      }
      assertTrue(diff > 1e-4, "log-probabilities differ by only " + diff);
      // the batch form and the sampler take the same (N, K, S, S, 3) input, and the gradient flows
      float[] two = concat(groupA, groupB);
      PolicyNetwork.Samples s = net.sample(two, 2, new int[] {Vocabulary.COSOD, Vocabulary.SOD}, 1.0, true, 1L);
      assertEquals(2, s.tokens().length);
      PolicyNetwork.Gradients g = net.sftGradients(two, 2, new int[] {Vocabulary.COSOD, Vocabulary.COSOD},
          new int[][] {completion[0], completion[0]});
      assertTrue(Arrays.stream(toDouble(g.flat())).anyMatch(v -> v != 0) && Double.isFinite(g.loss()));
      assertThrows(IllegalArgumentException.class, () -> net.score(own, 1, prompt, completion),
          "one image where the policy takes three");
    }
  }

  @Test
  void theEncoderPutsEachImagesGroupAfterIt() {
    TrainSettings s = TinySettings.of("head", 1L);
    TrainSettings on = s.forTasks(TaskMix.parse("sod:0.5,cosod:0.5"));
    assertEquals(TrainSettings.COSOD_GROUP, on.encoding().groupContext());
    assertEquals(on, on.forTasks(TaskMix.parse("cosod")));
    assertEquals(s, s.forTasks(TaskMix.parse("sod:0.5,cod:0.5")));
    assertEquals(TrainSettings.COSOD_GROUP, on.policyConfig().groupContext());

    ExampleEncoder encoder = new ExampleEncoder(on);
    int per = 32 * 32 * 3;
    List<LabelledImage> group = TrainingData.syntheticGroups(4L, 32).get(0).subList(0, 3);
    List<Prepared> prepared = encoder.prepareGroup("g", group, true);
    assertEquals(3, prepared.size());
    for (int i = 0; i < 3; i++) {
      Prepared p = prepared.get(i);
      assertEquals(Task.COSOD, p.task());
      assertEquals("g", p.group());
      assertEquals(TrainSettings.COSOD_GROUP * per, p.input().length);
      for (int k = 0; k < TrainSettings.COSOD_GROUP; k++) { // own image, then the next members, cyclically
        assertArrayEquals(group.get((i + k) % 3).image().rgb(), Arrays.copyOfRange(p.input(), k * per, (k + 1) * per));
      }
      assertTrue(p.target() != null && p.target()[p.target().length - 1] == Vocabulary.END);
    }
    Prepared sod = encoder.prepare(group.get(0), false, Task.SOD);
    assertNull(sod.group());
    for (int k = 0; k < TrainSettings.COSOD_GROUP; k++) { // a group of one: the image repeated
      assertArrayEquals(group.get(0).image().rgb(), Arrays.copyOfRange(sod.input(), k * per, (k + 1) * per));
    }
    assertThrows(IllegalArgumentException.class, () -> encoder.prepare(group.get(0), false, Task.COSOD));
    assertThrows(IllegalStateException.class, () -> new ExampleEncoder(s).prepareGroup("g", group, false));
  }

  private static float[] random(Random r, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextFloat();
    }
    return out;
  }

  private static float[] concat(float[]... parts) {
    int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
