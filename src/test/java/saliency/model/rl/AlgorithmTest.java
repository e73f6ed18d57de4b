package saliency.model.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import saliency.model.policy.PolicyNetwork;

class AlgorithmTest {
  private static final double TOL = 1e-9;

  /** The algorithm {@code name} with the default settings. */
  private static Algorithm algo(AlgorithmName name) {
    return RlSettings.defaults().withAlgo(name, "calibrated").algorithm();
  }

  @Test
  void cgpoIsRewardMinusConfidenceOneSampleAtATime() {
    // 0.8 - 0.3 = 0.5 (right but unsure: pushed up); 0.1 - 0.9 = -0.8 (confidently wrong: pushed down);
    // 0.6 - 0.6 = 0 (calibrated: no update)
    Algorithm cgpo = algo(AlgorithmName.CGPO);
    AdvantageResult r =
        cgpo.advantages(List.of(Scored.of("a", 0.8, 0.3), Scored.of("b", 0.1, 0.9), Scored.of("c", 0.6, 0.6)));
    assertArrayEquals(new double[] {0.5, -0.8, 0.0}, r.advantages(), TOL);
    assertEquals(3, r.keptCount());
    assertEquals(0, r.skippedGroups());
    assertArrayEquals(new double[] {1, 1, 1}, r.ratios(), 0);
    assertEquals(1, cgpo.completionsPerPrompt());
    assertEquals(new AdvantageUnit(AdvantageUnit.Kind.SAMPLE, 1), cgpo.unit());
    assertTrue(cgpo.usesConfidence());
  }

  @Test
  void grpoNormalizesWithinGroupsAndSkipsFlatOnes() {
    // group p: rewards 1,0,0,1: mean 0.5, population std 0.5, A = +-0.5 / 0.5001 = +-0.99980004
    // group q: rewards 0.2,0.4,0.9: mean 0.5, deviations -0.3,-0.1,0.4, variance (0.09+0.01+0.16)/3 = 0.0866667,
    //   std 0.29439203, A = dev / 0.29449203 = -1.01870329, -0.33956776, 1.35827106
    // group z: rewards 0.7,0.7: zero spread, skipped; group s: a single sample, skipped
    List<Scored> batch =
        List.of(
            Scored.of("p", 1, 0), Scored.of("q", 0.2, 0), Scored.of("p", 0, 0), Scored.of("z", 0.7, 0),
            Scored.of("q", 0.4, 0), Scored.of("p", 0, 0), Scored.of("z", 0.7, 0), Scored.of("q", 0.9, 0),
            Scored.of("p", 1, 0), Scored.of("s", 0.3, 0));
    Algorithm grpo = algo(AlgorithmName.GRPO);
    AdvantageResult r = grpo.advantages(batch);
    double a = 0.99980004;
    assertArrayEquals(
        new double[] {a, -1.01870329, -a, 0, -0.33956776, -a, 0, 1.35827106, a, 0}, r.advantages(), 1e-8);
    assertEquals(2, r.skippedGroups());
    assertEquals(3, r.skippedSamples());
    assertArrayEquals(
        new boolean[] {true, true, true, false, true, true, false, true, true, false}, r.kept());
    assertEquals(4, grpo.completionsPerPrompt());
    assertEquals(new AdvantageUnit(AdvantageUnit.Kind.PROMPT, 4), grpo.unit());
    assertFalse(grpo.usesConfidence());
  }

  @Test
  void gspoAddsClippedSequenceRatio() {
    // group g: rewards 1, 0: mean 0.5, std 0.5, A = +-0.99980004
    // sample 0: log-ratio 0.1 -> s = e^0.1 = 1.10517092, inside [0.8, 1.28]: unchanged
    // sample 1: log-ratio -0.5 -> s = e^-0.5 = 0.60653066, clipped up to 1 - 0.2 = 0.8
    List<Scored> batch = List.of(new Scored("g", 1, 0, -1.0, -1.1), new Scored("g", 0, 0, -2.0, -1.5));
    RlSettings d = RlSettings.defaults();
    Gspo wide = new Gspo(new RlSettings(AlgorithmName.GSPO, 2, 16, "calibrated", true, 0.2, 0.2, 0.2, 0.28, 0, 1, 0,
        false));
    AdvantageResult r = wide.advantages(batch);
    assertArrayEquals(new double[] {0.99980004, -0.99980004}, r.advantages(), 1e-8);
    assertArrayEquals(new double[] {1.10517092, 0.60653066}, r.ratios(), 1e-8);
    assertArrayEquals(new double[] {1.10517092, 0.8}, r.clippedRatios(), 1e-8);
    assertEquals(1, r.clipped());
    // surrogate 0: min(1.10517 * 0.9998, 1.10517 * 0.9998) = 1.10495 ; surrogate 1 (A < 0):
    // min(0.60653 * -0.9998, 0.8 * -0.9998) = -0.79984
    assertEquals(1.10517092 * 0.99980004, wide.clippedSurrogate(r, 0), 1e-8);
    assertEquals(-0.8 * 0.99980004, wide.clippedSurrogate(r, 1), 1e-8);

    // the GSPO paper's 3e-4 / 4e-4 (the defaults): e^0.1 clips to 1.0004, e^-0.5 to 0.9997
    AdvantageResult p = algo(AlgorithmName.GSPO).advantages(batch);
    assertArrayEquals(new double[] {1.0004, 0.9997}, p.clippedRatios(), 1e-12);
    assertEquals(2, p.clipped());
    assertEquals(d.sequenceClipHigh(), 4e-4);
  }

  @Test
  void clippedSurrogateIsPessimistic() {
    // A = 1, s = 1.2 above the range [0.8, 1.1]: min(1.2, 1.1) = 1.1 (gain capped)
    assertEquals(1.1, Gspo.clippedSurrogate(1.2, 1, 0.2, 0.1), TOL);
    // A = -1, s = 1.2: min(-1.2, -1.1) = -1.2 (loss not capped)
    assertEquals(-1.2, Gspo.clippedSurrogate(1.2, -1, 0.2, 0.1), TOL);
    // A = -1, s = 0.5 below the range: min(-0.5, -0.8) = -0.8
    assertEquals(-0.8, Gspo.clippedSurrogate(0.5, -1, 0.2, 0.1), TOL);
    // A = 2, s = 0.5: min(1.0, 1.6) = 1.0
    assertEquals(1.0, Gspo.clippedSurrogate(0.5, 2, 0.2, 0.1), TOL);
  }

  @Test
  void gspoRatioStaysFiniteForHugeLogRatios() {
    // log-ratio 500 is clamped to 20: e^20 = 4.85165195e8; the skipped singleton has A = 0, and 0 * ratio stays 0
    Gspo gspo = (Gspo) algo(AlgorithmName.GSPO);
    AdvantageResult r = gspo.advantages(List.of(new Scored("x", 1, 0, 0, -500)));
    assertEquals(4.851651954097903e8, r.ratio(0), 1);
    assertEquals(0.0, r.advantage(0));
    assertEquals(0.0, gspo.clippedSurrogate(r, 0));
  }

  @Test
  void reinforcePlusPlusNormalizesOverWindowsOfConsecutiveSamples() {
    // window 3: rewards 0, 0.5, 1: mean 0.5, population std sqrt(0.5/3) = 0.40824829,
    //   A = -+0.5 / 0.40834829 = -+1.22444494 (the confidence 0.9 is not read)
    // next window: 0.7, 0.7: zero spread, skipped (A = 0, not kept)
    Algorithm rpp = RlSettings.defaults().withAlgo(AlgorithmName.REINFORCE_PP, "calibrated").withWindow(3).algorithm();
    AdvantageResult r = rpp.advantages(List.of(Scored.of("a", 0, 0.9), Scored.of("b", 0.5, 0), Scored.of("c", 1, 0),
        Scored.of("d", 0.7, 0), Scored.of("e", 0.7, 0)));
    assertArrayEquals(new double[] {-1.22444494, 0, 1.22444494, 0, 0}, r.advantages(), 1e-8);
    assertArrayEquals(new boolean[] {true, true, true, false, false}, r.kept());
    assertEquals(1, r.skippedGroups());
    assertEquals(1, rpp.completionsPerPrompt());
    assertEquals(new AdvantageUnit(AdvantageUnit.Kind.WINDOW, 3), rpp.unit());
    // one sample: no baseline to compare with, A = 0, counted as a skipped window
    AdvantageResult one = rpp.advantages(List.of(Scored.of("a", 0.7, 0)));
    assertArrayEquals(new double[] {0}, one.advantages(), 0);
    assertEquals(1, one.skippedGroups());
    assertFalse(one.kept(0));
  }

  @Test
  void eachAlgorithmNamesItsLossTerms() {
    RlSettings s = RlSettings.defaults().withWeights(0.05, 0.5).withAnchor(0.25, true);
    for (AlgorithmName n : AlgorithmName.values()) {
      Algorithm a = s.withAlgo(n, "seqprob").algorithm();
      PolicyNetwork.LossSettings l = a.loss();
      assertEquals(n, a.name());
      assertEquals(0.05, l.klBeta());
      assertEquals(0.5, l.headWeight());
      assertTrue(l.coordinatesOnly());
      assertEquals(0.25, a.sftAnchor());
      boolean gspo = n == AlgorithmName.GSPO;
      assertEquals(gspo ? PolicyNetwork.Ratio.SEQUENCE_CLIP : PolicyNetwork.Ratio.TOKEN_CLIP, l.ratio(), n.toString());
      assertEquals(gspo ? 3e-4 : 0.2, l.epsLow(), n.toString());
      assertEquals(gspo ? 4e-4 : 0.2, l.epsHigh(), n.toString());
    }
    RlSettings off = new RlSettings(AlgorithmName.CGPO, 4, 16, "calibrated", false, 0.2, 0.2, 3e-4, 4e-4, 0, 1, 0,
        false);
    assertEquals(PolicyNetwork.Ratio.NONE, off.algorithm().loss().ratio(), "no off-policy correction: no ratio");
    assertEquals(PolicyNetwork.Ratio.SEQUENCE_CLIP,
        off.withAlgo(AlgorithmName.GSPO, "calibrated").algorithm().loss().ratio(), "GSPO keeps its sequence ratio");
  }

  @Test
  void namesParseOnceAndTheErrorListsTheValidOnes() {
    assertEquals(List.of("cgpo", "grpo", "gspo", "reinforce++"), AlgorithmName.names());
    assertEquals(AlgorithmName.GSPO, AlgorithmName.parse(" GSPO "));
    assertEquals(AlgorithmName.REINFORCE_PP, AlgorithmName.parse("REINFORCE++"));
    assertInstanceOf(Cgpo.class, algo(AlgorithmName.CGPO));
    assertInstanceOf(Grpo.class, algo(AlgorithmName.GRPO));
    assertInstanceOf(Gspo.class, algo(AlgorithmName.GSPO));
    assertInstanceOf(ReinforcePlusPlus.class, algo(AlgorithmName.REINFORCE_PP));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlgorithmName.parse("ppo"));
    assertEquals("unknown algorithm 'ppo'; valid: cgpo, grpo, gspo, reinforce++", e.getMessage());
  }

  @Test
  void inputsAndSettingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> Scored.of("a", Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> new Scored("a", 0, 0, Double.NEGATIVE_INFINITY, 0));
    assertThrows(NullPointerException.class, () -> Scored.of(null, 0, 0));
    RlSettings d = RlSettings.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withAlgo(AlgorithmName.CGPO, "bogus"));
    assertThrows(IllegalArgumentException.class, () -> new RlSettings(AlgorithmName.GSPO, 4, 16, "calibrated", true,
        0.2, 0.2, 1.0, 0.1, 0, 1, 0, false));
    assertThrows(IllegalArgumentException.class, () -> d.withWeights(-1, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> d.withAlgo(AlgorithmName.GRPO, "calibrated").withGroupSize(1).algorithm());
    assertTrue(e.getMessage().contains("group-size must be at least 2 for grpo"), e.getMessage());
    assertEquals(1, d.withGroupSize(1).algorithm().completionsPerPrompt(), "CGPO ignores the group size");
  }

  @Test
  void randomBatchesGiveFiniteZeroMeanGroupAdvantages() {
    Random rnd = new Random(17);
    Algorithm grpo = algo(AlgorithmName.GRPO);
    for (int it = 0; it < 200; it++) {
      List<Scored> batch = new ArrayList<>();
      int prompts = 1 + rnd.nextInt(6);
      for (int p = 0; p < prompts; p++) {
        int g = 1 + rnd.nextInt(8);
        boolean binary = rnd.nextBoolean(); // 0/1 rewards often give flat groups
        for (int k = 0; k < g; k++) {
          double r = binary ? rnd.nextInt(2) : rnd.nextDouble();
          batch.add(new Scored("p" + p, r, rnd.nextDouble(), -rnd.nextDouble() * 3, -rnd.nextDouble() * 3));
        }
      }
      java.util.Collections.shuffle(batch, rnd);
      for (AlgorithmName name : AlgorithmName.values()) {
        AdvantageResult r = algo(name).advantages(batch);
        assertEquals(batch.size(), r.size());
        for (int i = 0; i < r.size(); i++) {
          assertTrue(Double.isFinite(r.advantage(i)) && Double.isFinite(r.clippedRatio(i)));
          assertTrue(r.kept(i) || r.advantage(i) == 0.0);
        }
      }
      AdvantageResult g = grpo.advantages(batch);
      for (int p = 0; p < prompts; p++) {
        double sum = 0;
        int kept = 0;
        for (int i = 0; i < batch.size(); i++) {
          if (batch.get(i).promptId().equals("p" + p) && g.kept(i)) {
            sum += g.advantage(i);
            kept++;
          }
        }
        assertEquals(0.0, sum, 1e-9 * Math.max(1, kept)); // group advantages sum to zero
      }
    }
    for (AlgorithmName name : AlgorithmName.values()) {
      assertEquals(0, algo(name).advantages(List.of()).size());
    }
  }
}
