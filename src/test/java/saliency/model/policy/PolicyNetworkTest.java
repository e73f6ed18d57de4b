package saliency.model.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import saliency.model.optim.Adam;

class PolicyNetworkTest {
  static final int SOD = 2;
  static final int COD = 3;
  static final int END = 1;
  static final int RG = 6;
  static final int RG_END = 7;
  static final int BIN0 = 18;

  static final PolicyConfig SMALL =
      new PolicyConfig(32, 82, 12, List.of(8, 16, 16), 48, 16, 16, 16, "/CPU:0", 1, 1, 7L, 0, 1, true);

  static PolicyNetwork net;
  static float[] initial;

  @BeforeAll
  static void build() {
    net = PolicyNetwork.create(SMALL);
    initial = net.getFlatWeights();
  }

  @AfterAll
  static void close() {
    net.close();
  }

  @BeforeEach
  void reset() {
    net.setFlatWeights(initial);
  }

  static float[] images(int n, long seed) {
    Random r = new Random(seed);
    int s = SMALL.imageSize();
    float[] x = new float[n * s * s * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }

  static int[] prompts(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i % 2 == 0 ? SOD : COD;
    }
    return p;
  }

  static int[][] targets() {
    return new int[][] {
      {RG, BIN0 + 1, BIN0 + 2, BIN0 + 30, BIN0 + 3, BIN0 + 20, BIN0 + 40, RG_END, END},
      {RG, BIN0 + 50, BIN0 + 5, BIN0 + 60, BIN0 + 40, BIN0 + 10, BIN0 + 33, RG_END, END},
      {RG, BIN0 + 7, BIN0 + 7, BIN0 + 9, BIN0 + 63, RG_END, END},
      {RG, BIN0 + 12, BIN0 + 44, BIN0 + 22, BIN0 + 11, BIN0 + 0, BIN0 + 60, BIN0 + 31, BIN0 + 31, RG_END, END},
    };
  }

  @Test
  void sampleShapesAndDeterminism() {
    float[] img = images(5, 1);
    PolicyNetwork.Samples a = net.sample(img, 5, prompts(5), 1.0, false, 42L);
    PolicyNetwork.Samples b = net.sample(img, 5, prompts(5), 1.0, false, 42L);
    PolicyNetwork.Samples c = net.sample(img, 5, prompts(5), 1.0, false, 43L);
    assertEquals(5, a.tokens().length);
    for (int i = 0; i < 5; i++) {
      int[] t = a.tokens()[i];
      assertTrue(t.length >= 1 && t.length <= SMALL.maxLen());
      assertTrue(t[t.length - 1] == END || t.length == SMALL.maxLen());
      for (int j = 0; j < t.length; j++) {
        assertNotEquals(0, t[j], "pad emitted");
        assertTrue(j == t.length - 1 || t[j] != END);
      }
      assertEquals(t.length, a.tokenLogp()[i].length);
      assertArrayEquals(t, b.tokens()[i]);
      assertArrayEquals(a.tokenLogp()[i], b.tokenLogp()[i]);
      float sum = 0;
      for (float x : a.tokenLogp()[i]) {
        assertTrue(x <= 0 && x > -20);
        sum += x;
      }
      assertEquals(sum, a.sumLogp()[i], 1e-4);
      assertEquals(sum / t.length, a.meanLogp()[i], 1e-4);
    }
    assertTrue(!Arrays.deepEquals(a.tokens(), c.tokens()), "different seeds gave identical samples");
    PolicyNetwork.Samples g1 = net.sample(img, 5, prompts(5), 1.0, true, 1L);
    PolicyNetwork.Samples g2 = net.sample(img, 5, prompts(5), 0.3, true, 99L);
    assertTrue(Arrays.deepEquals(g1.tokens(), g2.tokens()), "greedy depends on seed or temperature");
  }

  @Test
  void scoreOfSamplesMatchesSamplerLogp() {
    float[] img = images(6, 2);
    for (boolean greedy : new boolean[] {false, true}) {
      PolicyNetwork.Samples s = net.sample(img, 6, prompts(6), 1.0, greedy, 5L);
      PolicyNetwork.Scores sc = net.score(img, 6, prompts(6), s.tokens());
      for (int i = 0; i < 6; i++) {
        assertArrayEquals(s.tokenLogp()[i], sc.tokenLogp()[i], 1e-4f);
        assertEquals(s.sumLogp()[i], sc.sumLogp()[i], 1e-3);
        assertEquals(s.meanLogp()[i], sc.meanLogp()[i], 1e-4);
      }
    }
  }

  @Test
  void rejectsBadInputs() {
    float[] img = images(2, 3);
    assertThrows(IllegalArgumentException.class, () -> net.sample(img, 3, prompts(3), 1, false, 1));
    assertThrows(IllegalArgumentException.class, () -> net.score(img, 2, prompts(2), new int[][] {{RG, 0, END}, {END}}));
    assertThrows(IllegalArgumentException.class, () -> net.score(img, 2, prompts(2), new int[][] {{RG, 99}, {END}}));
    assertThrows(IllegalArgumentException.class, () -> net.setFlatWeights(new float[3]));
  }

  @Test
  void gradientMatchesFiniteDifference() {
    PolicyConfig tiny = new PolicyConfig(16, 82, 6, List.of(4, 6), 12, 8, 8, 6, "/CPU:0", 1, 1, 3L, 0, 1, false);
    try (PolicyNetwork small = PolicyNetwork.create(tiny)) {
      Random r = new Random(11);
      float[] img = new float[3 * 16 * 16 * 3];
      for (int i = 0; i < img.length; i++) {
        img[i] = r.nextFloat();
      }
      int[] pr = {SOD, COD, SOD};
      int[][] comp = {{RG, BIN0 + 3, BIN0 + 4, RG_END, END}, {RG, BIN0 + 9, END}, {BIN0 + 1, BIN0 + 2, BIN0 + 5, BIN0, RG, RG_END}};
      float[] adv = {1.0f, -0.7f, 0.4f};
      float[] rewards = {0.8f, 0.1f, 0.5f};
      PolicyNetwork.Scores sc = small.score(img, 3, pr, comp);
      float[][] ref = new float[3][];
      for (int i = 0; i < 3; i++) {
        ref[i] = sc.tokenLogp()[i].clone();
        for (int j = 0; j < ref[i].length; j++) {
          ref[i][j] += (float) (0.3 * r.nextGaussian());
        }
      }
      // policy-gradient + KL terms here; the head term is checked below along head-only directions, since its
      // stop-gradient deliberately leaves out the path through the encoder that a finite difference sees
      PolicyNetwork.LossSettings ls = new PolicyNetwork.LossSettings(0.5, 0.0);
      float[] w0 = small.getFlatWeights();
      PolicyNetwork.Gradients g = small.policyGradients(img, 3, pr, comp, adv, ref, rewards, ls);
      double sftCheck = 0;
      PolicyNetwork.Gradients s = small.sftGradients(img, 3, pr, comp);
      for (int trial = 0; trial < 2; trial++) {
        // a random direction with a component along the gradient, so the directional derivative is not tiny
        float[] dir = direction(r, g.flat());
        double analytic = dot(dir, g.flat());
        double eps = 1e-3;
        double lp = lossAt(small, w0, dir, eps, img, pr, comp, adv, ref, rewards, ls);
        double lm = lossAt(small, w0, dir, -eps, img, pr, comp, adv, ref, rewards, ls);
        double numeric = (lp - lm) / (2 * eps);
        double rel = Math.abs(numeric - analytic) / Math.max(1e-6, Math.abs(analytic));
        assertTrue(rel < 1e-2, "policy gradient: analytic " + analytic + " numeric " + numeric);
        float[] sdir = direction(r, s.flat());
        double sa = dot(sdir, s.flat());
        double sp = sftAt(small, w0, sdir, eps, img, pr, comp);
        double sm = sftAt(small, w0, sdir, -eps, img, pr, comp);
        double sn = (sp - sm) / (2 * eps);
        assertTrue(Math.abs(sn - sa) / Math.max(1e-6, Math.abs(sa)) < 1e-2, "sft: analytic " + sa + " numeric " + sn);
        sftCheck += Math.abs(sa);
        small.setFlatWeights(w0);
      }
      assertTrue(sftCheck > 0);
      PolicyNetwork.LossSettings headOnly = new PolicyNetwork.LossSettings(0, 2.0);
      float[] zeroAdv = new float[3];
      PolicyNetwork.Gradients hg = small.policyGradients(img, 3, pr, comp, zeroAdv, null, rewards, headOnly);
      int[] head = small.headRange();
      float[] hdir = direction(r, hg.flat());
      for (int i = 0; i < head[0]; i++) {
        hdir[i] = 0;
      }
      double ha = dot(hdir, hg.flat());
      double hp = lossAt(small, w0, hdir, 1e-3, img, pr, comp, zeroAdv, null, rewards, headOnly);
      double hm = lossAt(small, w0, hdir, -1e-3, img, pr, comp, zeroAdv, null, rewards, headOnly);
      double hn = (hp - hm) / 2e-3;
      assertTrue(Math.abs(hn - ha) / Math.abs(ha) < 1e-2, "head: analytic " + ha + " numeric " + hn);
    }
  }

  /** Unit vector: half a random Gaussian direction, half the normalized gradient. */
  private static float[] direction(Random r, float[] grad) {
    double gn = Math.sqrt(dot(grad, grad));
    float[] rnd = new float[grad.length];
    for (int i = 0; i < rnd.length; i++) {
      rnd[i] = (float) r.nextGaussian();
    }
    double rn = Math.sqrt(dot(rnd, rnd));
    float[] dir = new float[grad.length];
    for (int i = 0; i < dir.length; i++) {
      dir[i] = (float) (0.5 * rnd[i] / rn + 0.5 * grad[i] / gn);
    }
    double dn = Math.sqrt(dot(dir, dir));
    for (int i = 0; i < dir.length; i++) {
      dir[i] /= (float) dn;
    }
    return dir;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  private static double lossAt(PolicyNetwork n, float[] w0, float[] dir, double eps, float[] img, int[] pr,
      int[][] comp, float[] adv, float[][] ref, float[] rewards, PolicyNetwork.LossSettings ls) {
    float[] w = w0.clone();
    for (int i = 0; i < w.length; i++) {
      w[i] += (float) (eps * dir[i]);
    }
    n.setFlatWeights(w);
    return n.policyGradients(img, 3, pr, comp, adv, ref, rewards, ls).loss();
  }

  private static double sftAt(PolicyNetwork n, float[] w0, float[] dir, double eps, float[] img, int[] pr,
      int[][] comp) {
    float[] w = w0.clone();
    for (int i = 0; i < w.length; i++) {
      w[i] += (float) (eps * dir[i]);
    }
    n.setFlatWeights(w);
    return n.sftGradients(img, 3, pr, comp).loss();
  }

  @Test
  void sftMemorizesFourSequences() {
    float[] img = images(4, 4);
    int[] pr = {SOD, SOD, SOD, SOD};
    TrainStep step = new TrainStep(net, Adam.Settings.defaults(1e-2), 5.0);
    double first = step.sft(img, 4, pr, targets()).loss();
    double last = first;
    for (int i = 0; i < 80; i++) {
      last = step.sft(img, 4, pr, targets()).loss();
    }
    assertTrue(last < 0.2 * first, "SFT loss " + first + " -> " + last);
    assertEquals(81, net.version());
    net.setVersion(0);
  }

  @Test
  void policyGradientSignMovesLogProb() {
    float[] img = images(2, 5);
    int[] pr = prompts(2);
    int[][] comp = {targets()[0], targets()[2]};
    for (float a : new float[] {1f, -1f}) {
      net.setFlatWeights(initial);
      double before = net.score(img, 2, pr, comp).sumLogp()[0] + net.score(img, 2, pr, comp).sumLogp()[1];
      PolicyNetwork.Gradients g =
          net.policyGradients(img, 2, pr, comp, new float[] {a, a}, null, null, PolicyNetwork.LossSettings.defaults());
      float[] w = net.getFlatWeights();
      for (int i = 0; i < w.length; i++) {
        w[i] -= 0.05f * g.flat()[i];
      }
      net.setFlatWeights(w);
      PolicyNetwork.Scores after = net.score(img, 2, pr, comp);
      double delta = after.sumLogp()[0] + after.sumLogp()[1] - before;
      assertTrue(a > 0 ? delta > 1e-3 : delta < -1e-3, "advantage " + a + " changed log-prob by " + delta);
    }
  }

  @Test
  void aCoordinatesOnlyPolicyGradientCountsOnlyCoordinateTokens() {
    net.setFlatWeights(initial);
    float[] img = images(3, 8);
    int[] pr = prompts(3);
    int[][] comp = {{RG, BIN0 + 3, BIN0 + 4, BIN0 + 9, BIN0 + 1, RG_END, END}, {RG, RG_END, END}, targets()[1]};
    float[] adv = {0.8f, -0.5f, 0.3f};
    float[][] lp = net.score(img, 3, pr, comp).tokenLogp();
    double expectedAll = 0;
    double expectedCoords = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < comp[i].length; j++) {
        expectedAll += -adv[i] * lp[i][j] / SMALL.maxLen() / 3;
        expectedCoords += comp[i][j] >= BIN0 ? -adv[i] * lp[i][j] / SMALL.maxLen() / 3 : 0;
      }
    }
    PolicyNetwork.Gradients all = net.policyGradients(img, 3, pr, comp, adv, null, null,
        new PolicyNetwork.LossSettings(0, 0, false));
    PolicyNetwork.Gradients coords = net.policyGradients(img, 3, pr, comp, adv, null, null,
        new PolicyNetwork.LossSettings(0, 0, true));
    assertEquals(expectedAll, all.policyLoss(), 1e-5);
    assertEquals(expectedCoords, coords.policyLoss(), 1e-5);
    assertNotEquals(all.policyLoss(), coords.policyLoss());
    // a completion without coordinates gives no policy gradient at all
    PolicyNetwork.Gradients none = net.policyGradients(images(1, 9), 1, new int[] {SOD}, new int[][] {{RG, RG_END, END}},
        new float[] {1f}, null, null, new PolicyNetwork.LossSettings(0, 0, true));
    for (float x : none.flat()) {
      assertEquals(0f, x, 0f);
    }
  }

  @Test
  void klIsZeroAgainstItself() {
    float[] img = images(3, 6);
    int[] pr = prompts(3);
    int[][] comp = {targets()[0], targets()[1], targets()[3]};
    PolicyNetwork.Scores sc = net.score(img, 3, pr, comp);
    PolicyNetwork.Gradients g =
        net.policyGradients(img, 3, pr, comp, new float[3], sc.tokenLogp(), null, new PolicyNetwork.LossSettings(1, 0));
    assertEquals(0, g.klLoss(), 1e-6);
    float max = 0;
    for (float x : g.flat()) {
      max = Math.max(max, Math.abs(x));
    }
    assertTrue(max < 1e-5, "KL gradient at ref == current: " + max);
    float[][] shifted = new float[3][];
    for (int i = 0; i < 3; i++) {
      shifted[i] = sc.tokenLogp()[i].clone();
      shifted[i][0] -= 1f;
    }
    PolicyNetwork.Gradients g2 =
        net.policyGradients(img, 3, pr, comp, new float[3], shifted, null, new PolicyNetwork.LossSettings(1, 0));
    // one token with ref - logp = -1: k3 = e^-1 + 1 - 1, averaged over 3 completions and divided by T_max
    assertEquals(3 * Math.exp(-1) / 3 / SMALL.maxLen(), g2.klLoss(), 1e-5);
  }

  @Test
  void headLossTrainsOnlyTheHead() {
    float[] img = images(4, 7);
    int[] pr = prompts(4);
    int[][] comp = {targets()[0], targets()[1], targets()[2], targets()[3]};
    float[] rewards = {0.9f, 0.1f, 0.9f, 0.1f};
    PolicyNetwork.Gradients g =
        net.policyGradients(img, 4, pr, comp, new float[4], null, rewards, new PolicyNetwork.LossSettings(0, 1));
    int[] head = net.headRange();
    assertTrue(head[0] > 0 && head[1] == net.parameterCount());
    double headNorm = 0;
    for (int i = 0; i < g.flat().length; i++) {
      if (i < head[0]) {
        assertEquals(0f, g.flat()[i], "gradient outside the head at " + i);
      } else {
        headNorm += Math.abs(g.flat()[i]);
      }
    }
    assertTrue(headNorm > 0);
    float[] before = net.predictConfidence(img, 4, pr);
    saliency.model.policy.confidence.ConfidenceEstimator est =
        saliency.model.policy.confidence.ConfidenceEstimators.create("head", net);
    double[] viaEstimator =
        est.confidences(new saliency.model.policy.confidence.ConfidenceInput(img, 4, pr, new float[4]));
    for (int i = 0; i < 4; i++) {
      assertEquals(before[i], viaEstimator[i], 1e-7);
      assertTrue(before[i] > 0 && before[i] < 1);
    }
    PolicyNetwork.Gradients sft = net.sftGradients(img, 4, pr, comp);
    for (int i = head[0]; i < head[1]; i++) {
      assertEquals(0f, sft.flat()[i]);
    }
    TrainStep step = new TrainStep(net, Adam.Settings.defaults(1e-1), 10);
    for (int k = 0; k < 15; k++) {
      step.apply(net.policyGradients(img, 4, pr, comp, new float[4], null, rewards, new PolicyNetwork.LossSettings(0, 1)));
    }
    float[] after = net.predictConfidence(img, 4, pr);
    double errBefore = 0;
    double errAfter = 0;
    for (int i = 0; i < 4; i++) {
      errBefore += Math.pow(before[i] - rewards[i], 2);
      errAfter += Math.pow(after[i] - rewards[i], 2);
    }
    assertTrue(errAfter < 0.5 * errBefore, "head error " + errBefore + " -> " + errAfter);
    float[] w = net.getFlatWeights();
    for (int i = 0; i < head[0]; i++) {
      assertEquals(initial[i], w[i], "non-head weight moved at " + i);
    }
    net.setVersion(0);
  }

  @Test
  void trainStepSkipsNonFiniteGradients() {
    TrainStep step = new TrainStep(net, Adam.Settings.defaults(1e-2), 1.0);
    float[] bad = new float[net.parameterCount()];
    bad[5] = Float.NaN;
    TrainStep.Outcome o = step.apply(new PolicyNetwork.Gradients(bad, 1.0, 1.0, 0, 0));
    assertTrue(!o.applied());
    assertArrayEquals(initial, net.getFlatWeights());
    assertEquals(0, step.adam().step());
    float[] big = new float[net.parameterCount()];
    Arrays.fill(big, 1f);
    TrainStep.Outcome ok = step.apply(new PolicyNetwork.Gradients(big, 1.0, 1.0, 0, 0));
    assertTrue(ok.applied());
    assertEquals(Math.sqrt(net.parameterCount()), ok.gradNorm(), 1e-2 * Math.sqrt(net.parameterCount()));
    assertEquals(1, net.version());
    assertEquals(initial[0] - 1e-2f, net.getFlatWeights()[0], 1e-5f);
    net.setVersion(0);
  }

  @Test
  void flatWeightsRoundTrip() {
    float[] w = net.getFlatWeights();
    assertEquals(net.parameterCount(), w.length);
    float[] slice = {1.5f, -2.5f, 3.25f};
    net.setSlice(10, slice);
    float[] got = net.getFlatWeights();
    assertArrayEquals(slice, Arrays.copyOfRange(got, 10, 13));
    assertEquals(w[9], got[9]);
    assertEquals(w[13], got[13]);
    float[] img = images(2, 8);
    PolicyNetwork.Scores s1 = net.score(img, 2, prompts(2), new int[][] {targets()[0], targets()[1]});
    net.setFlatWeights(w);
    PolicyNetwork.Scores s0 = net.score(img, 2, prompts(2), new int[][] {targets()[0], targets()[1]});
    assertNotEquals(s0.sumLogp()[0], s1.sumLogp()[0], "weights did not reach the graph");
    try (PolicyNetwork other = PolicyNetwork.create(SMALL.withSeed(99))) {
      other.setFlatWeights(net.getFlatWeights());
      PolicyNetwork.Scores s2 = other.score(img, 2, prompts(2), new int[][] {targets()[0], targets()[1]});
      assertArrayEquals(s0.sumLogp(), s2.sumLogp(), 1e-6f);
    }
  }

  @Test
  void checkpointRoundTripAndMismatch(@TempDir Path dir) throws IOException {
    Adam adam = new Adam(Adam.Settings.defaults(1e-3), net.parameterCount());
    float[] w = net.getFlatWeights();
    float[] g = new float[w.length];
    Arrays.fill(g, 0.01f);
    adam.apply(w, g);
    net.setFlatWeights(w);
    net.setVersion(17);
    Path file = dir.resolve("ckpt/policy.bin");
    PolicyCheckpoint.of(net, adam).save(file);
    net.setFlatWeights(initial);
    net.setVersion(0);
    Adam restored = PolicyCheckpoint.restore(file, net);
    assertArrayEquals(w, net.getFlatWeights());
    assertEquals(17, net.version());
    assertEquals(1, restored.step());
    assertArrayEquals(adam.firstMoment(), restored.firstMoment());
    assertArrayEquals(adam.secondMoment(), restored.secondMoment());
    net.setVersion(0);
    PolicyConfig other = new PolicyConfig(16, 82, 6, List.of(4, 6), 12, 8, 8, 6, "/CPU:0", 1, 1, 3L, 0, 1, false);
    try (PolicyNetwork small = PolicyNetwork.create(other)) {
      IOException e = assertThrows(IOException.class, () -> PolicyCheckpoint.restore(file, small));
      assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("parameters"), e.getMessage());
    }
  }

  @Test
  void savedModelRoundTrip(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("saved");
    net.exportSavedModel(out);
    float[] img = images(3, 9);
    int[] pr = prompts(3);
    PolicyNetwork.Samples live = net.sample(img, 3, pr, 1.0, true, 0);
    int[][] comp = {targets()[0], targets()[1], targets()[2]};
    PolicyNetwork.Scores liveScore = net.score(img, 3, pr, comp);
    int t = SMALL.maxLen();
    try (SavedModelBundle b = SavedModelBundle.load(out.toString(), "serve");
        TFloat32 im = TFloat32.tensorOf(Shape.of(3, 32, 32, 3), DataBuffers.of(img, true, false));
        TInt32 p = TInt32.vectorOf(pr);
        TFloat32 temp = TFloat32.scalarOf(1f);
        TFloat32 ns = TFloat32.scalarOf(0f);
        TInt64 seed = TInt64.vectorOf(0, 0)) {
      try (Result r =
          b.function(PolicyNetwork.SAMPLE_SIGNATURE)
              .call(Map.<String, Tensor>of("images", im, "prompts", p, "temperature", temp, "noise_scale", ns, "seed",
                  seed))) {
        int[] tok = new int[3 * t];
        ((TInt32) r.get("tokens").orElseThrow()).copyTo(DataBuffers.of(tok, false, false));
        for (int i = 0; i < 3; i++) {
          assertArrayEquals(live.tokens()[i], Arrays.copyOfRange(tok, i * t, i * t + live.tokens()[i].length));
        }
      }
      int[] tg = new int[3 * t];
      float[] mk = new float[3 * t];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < comp[i].length; j++) {
          tg[i * t + j] = comp[i][j];
          mk[i * t + j] = 1;
        }
      }
      try (TInt32 tgt = TInt32.tensorOf(Shape.of(3, t), DataBuffers.of(tg, true, false));
          TFloat32 mask = TFloat32.tensorOf(Shape.of(3, t), DataBuffers.of(mk, true, false));
          Result r =
              b.function(PolicyNetwork.SCORE_SIGNATURE)
                  .call(Map.<String, Tensor>of("images", im, "prompts", p, "targets", tgt, "mask", mask))) {
        float[] sum = new float[3];
        ((TFloat32) r.get("sum_logp").orElseThrow()).copyTo(DataBuffers.of(sum, false, false));
        assertArrayEquals(liveScore.sumLogp(), sum, 1e-5f);
      }
    }
  }

  @Test
  void importanceRatiosEqualThePlainLossOnPolicyAndDifferOffPolicy() {
    int n = 4;
    float[] x = images(n, 21);
    int[] pr = prompts(n);
    int[][] c = targets();
    float[] adv = {0.7f, -0.4f, 0.2f, -1.0f};
    float[][] now = net.score(x, n, pr, c).tokenLogp();
    PolicyNetwork.LossSettings base = new PolicyNetwork.LossSettings(0.0, 0.0);
    float[] plain = net.policyGradients(x, n, pr, c, adv, null, null, now, base).flat();
    for (PolicyNetwork.Ratio r : List.of(PolicyNetwork.Ratio.TOKEN_CLIP, PolicyNetwork.Ratio.SEQUENCE_CLIP)) {
      float[] g = net.policyGradients(x, n, pr, c, adv, null, null, now, base.withRatio(r)).flat();
      assertArrayEquals(plain, g, 1e-5f, r + " at ratio 1 is the plain gradient");
    }
    // samples drawn by other weights: old log-probabilities 0.1 lower per token (every ratio exp(0.1) = 1.105)
    float[][] older = new float[n][];
    for (int i = 0; i < n; i++) {
      older[i] = now[i].clone();
      for (int k = 0; k < older[i].length; k++) {
        older[i][k] -= 0.1f;
      }
    }
    float[] grpo = net.policyGradients(x, n, pr, c, adv, null, null, older, base).flat();
    float[] gspo = net.policyGradients(x, n, pr, c, adv, null, null, older,
        base.withRatio(PolicyNetwork.Ratio.SEQUENCE_CLIP)).flat();
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < grpo.length; i++) {
      diff += Math.abs(grpo[i] - gspo[i]);
      norm += Math.abs(grpo[i]);
    }
    assertTrue(diff > 0.05 * norm, "GSPO's gradient differs from GRPO's off-policy: " + diff + " of " + norm);
    // a ratio far above the clip with positive advantages: the clipped objective gives no gradient
    float[][] stale = new float[n][];
    for (int i = 0; i < n; i++) {
      stale[i] = now[i].clone();
      for (int k = 0; k < stale[i].length; k++) {
        stale[i][k] -= 2f;
      }
    }
    float[] up = {1f, 1f, 1f, 1f};
    for (PolicyNetwork.Ratio r : List.of(PolicyNetwork.Ratio.TOKEN_CLIP, PolicyNetwork.Ratio.SEQUENCE_CLIP)) {
      float[] g = net.policyGradients(x, n, pr, c, up, null, null, stale, base.withRatio(r)).flat();
      double sum = 0;
      for (float v : g) {
        sum += Math.abs(v);
      }
      assertEquals(0.0, sum, 1e-9, r + ": clipped ratios pass no gradient");
    }
    assertThrows(IllegalArgumentException.class, () -> net.policyGradients(x, n, pr, c, adv, null, null, null,
        base.withRatio(PolicyNetwork.Ratio.TOKEN_CLIP)));
  }
}
