package saliency.model.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import saliency.model.optim.Adam;

/** The policy with the frozen-feature encoder: input contract, parameter layout, sampling and gradients. */
class PolicyNetworkMobileNetTest {
  static final int GRID = 5;
  static final int CHANNELS = 24;
  static final PolicyConfig CONV =
      new PolicyConfig(32, 82, 12, List.of(8, 16), 48, 16, 16, 16, "/CPU:0", 1, 1, 7L, 0, 1, false);
  static final PolicyConfig FROZEN = CONV.withMobileNetV2(GRID, CHANNELS, List.of(12, 16));

  static PolicyNetwork net;

  @BeforeAll
  static void build() {
    net = PolicyNetwork.create(FROZEN);
  }

  @AfterAll
  static void close() {
    net.close();
  }

  static float[] features(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * FROZEN.inputSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() < 0.6 ? 0f : 6 * r.nextFloat(); // Relu6-like activations
    }
    return x;
  }

  @Test
  void configDescribesTheFeatureInput() {
    assertArrayEquals(new int[] {GRID, GRID, CHANNELS}, FROZEN.inputShape());
    assertEquals(GRID, FROZEN.gridSize());
    assertTrue(FROZEN.isMobileNet());
    assertArrayEquals(new int[] {32, 32, 3}, CONV.inputShape());
    assertEquals(8, CONV.gridSize());
    assertThrows(IllegalArgumentException.class, () -> CONV.withMobileNetV2(0, 10, List.of(8)));
    assertThrows(IllegalArgumentException.class,
        () -> new PolicyConfig(32, 82, 12, List.of(8), 48, 16, 16, 16, "/CPU:0", 1, 1, 7L, 0, 1, false, "vit", 7, 8));
    // image size need not divide by 2^layers: the network never sees pixels
    assertEquals(GRID, FROZEN.withImageSize(50).gridSize());
  }

  @Test
  void flatVectorHoldsTheProjectionAndTheRestButNoFrozenWeights() {
    int proj = 1 * 1 * CHANNELS * 12 + 12 + 3 * 3 * 12 * 16 + 16;
    int convEncoder = 3 * 3 * 3 * 8 + 8 + 3 * 3 * 8 * 16 + 16;
    try (PolicyNetwork conv = PolicyNetwork.create(CONV)) {
      assertEquals(conv.parameterCount() - convEncoder + proj, net.parameterCount());
    }
    List<String> names = net.describeParameters();
    assertTrue(names.get(0).startsWith("proj0 [1, 1, " + CHANNELS + ", 12]"), names.get(0));
    assertTrue(names.get(2).startsWith("proj1 [3, 3, 12, 16]"), names.get(2));
    assertTrue(names.stream().noneMatch(l -> l.startsWith("conv")), names.toString());
  }

  @Test
  void realSizedMobileNetPolicyAddsOnlyAProjection() {
    // the default decoder over the 14x14x816 map: the ~1.1M frozen MobileNetV2 floats are not parameters
    PolicyConfig d = PolicyConfig.defaults();
    PolicyConfig m = d.withMobileNetV2(14, 816, List.of(96));
    try (PolicyNetwork conv = PolicyNetwork.create(d.withThreads(1, 1));
        PolicyNetwork mob = PolicyNetwork.create(m)) {
      int convEncoder = 27 * 32 + 32 + 9 * 32 * 64 + 64 + 9 * 64 * 96 + 96;
      assertEquals(conv.parameterCount() - convEncoder + 816 * 96 + 96, mob.parameterCount());
      assertTrue(mob.parameterCount() < 500_000, "parameters " + mob.parameterCount());
    }
  }

  @Test
  void samplesScoresAndGradientsHaveTheRightShapes() {
    int n = 3;
    float[] x = features(n, 1);
    int[] prompts = {2, 2, 3};
    PolicyNetwork.Samples s = net.sample(x, n, prompts, 1.0, false, 5L);
    assertEquals(n, s.tokens().length);
    PolicyNetwork.Scores sc = net.score(x, n, prompts, s.tokens());
    for (int i = 0; i < n; i++) {
      assertTrue(s.tokens()[i].length >= 1 && s.tokens()[i].length <= FROZEN.maxLen());
      assertArrayEquals(s.tokenLogp()[i], sc.tokenLogp()[i], 1e-4f);
    }
    float[] adv = {1f, -0.5f, 0.25f};
    float[] rewards = {0.9f, 0.1f, 0.5f};
    PolicyNetwork.Gradients g =
        net.policyGradients(x, n, prompts, s.tokens(), adv, null, rewards, PolicyNetwork.LossSettings.defaults());
    assertEquals(net.parameterCount(), g.flat().length);
    assertTrue(Adam.allFinite(g.flat()), "non-finite policy gradient");
    double projNorm = 0;
    int projEnd = CHANNELS * 12 + 12 + 9 * 12 * 16 + 16;
    for (int i = 0; i < projEnd; i++) {
      projNorm += g.flat()[i] * g.flat()[i];
    }
    assertTrue(projNorm > 0, "the projection receives no gradient");
    float[] conf = net.predictConfidence(x, n, prompts);
    assertEquals(n, conf.length);

    int[][] targets = {{6, 20, 30, 40, 50, 60, 22, 7, 1}, {6, 18, 19, 70, 33, 44, 45, 7, 1}, {6, 25, 26, 27, 7, 1}};
    PolicyNetwork.Gradients sft = net.sftGradients(x, n, prompts, targets);
    assertTrue(Adam.allFinite(sft.flat()), "non-finite SFT gradient");
    assertTrue(sft.loss() > 0 && Double.isFinite(sft.loss()));
    int[] head = net.headRange();
    for (int i = head[0]; i < head[1]; i++) {
      assertEquals(0f, sft.flat()[i], "SFT gradient reaches the head at " + i);
    }
  }

  @Test
  void rawImagesAreRejectedWithTheExpectedShape() {
    int n = 2;
    float[] pixels = new float[n * FROZEN.imageSize() * FROZEN.imageSize() * 3];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.sample(pixels, n, new int[] {2, 2}, 1.0, true, 1L));
    assertTrue(e.getMessage().contains("frozen features") && e.getMessage().contains(n + "*" + GRID + "*" + GRID
        + "*" + CHANNELS) && e.getMessage().contains("compute the features first"), e.getMessage());
    IllegalArgumentException short1 = assertThrows(IllegalArgumentException.class,
        () -> net.score(new float[7], n, new int[] {2, 2}, new int[][] {{1}, {1}}));
    assertTrue(short1.getMessage().contains("got 7"), short1.getMessage());
  }

  @Test
  void sftOnFixedFeaturesReducesTheLoss() {
    int n = 4;
    float[] x = features(n, 3);
    int[] prompts = {2, 2, 2, 2};
    int[][] targets = {{6, 20, 30, 40, 50, 60, 22, 7, 1}, {6, 18, 19, 70, 33, 44, 45, 7, 1},
        {6, 25, 26, 27, 28, 29, 30, 7, 1}, {6, 60, 61, 62, 63, 64, 65, 7, 1}};
    float[] start = net.getFlatWeights();
    try {
      TrainStep step = new TrainStep(net, Adam.Settings.defaults(3e-3), 1.0);
      double first = step.sft(x, n, prompts, targets).loss();
      double last = first;
      for (int i = 0; i < 40; i++) {
        last = step.sft(x, n, prompts, targets).loss();
      }
      assertTrue(last < 0.5 * first, "SFT loss " + first + " -> " + last);
    } finally {
      net.setFlatWeights(start);
    }
  }
}
