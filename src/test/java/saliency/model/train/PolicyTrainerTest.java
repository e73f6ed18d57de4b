package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import saliency.model.data.DataPosition;
import saliency.model.policy.PolicyNetwork;
import saliency.model.reward.RewardWeights;

/** The single-process trainer: its SFT learning-rate schedule, an SFT phase that learns, an RL phase's statistics. */
class PolicyTrainerTest {
  static final TrainSettings SETTINGS = new TrainSettings(32, 16, 8, 20, 1000, 1000, 12, 8, 3e-3, 8, 1e-3, 1.0,
      "cgpo", 4, "calibrated", 0, 1.0, 1.0, RewardWeights.defaults(), 4, 1, 1, 3L);

  record Step(String phase, long step, Map<String, Double> stats) {}

  @Test
  void sftLearningRateIsConstantByDefaultAndDecaysAlongAHalfCosineWhenAsked() {
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      PolicyTrainer t = new PolicyTrainer(SETTINGS, net, System::nanoTime, (p, s, e, b, st) -> { });
      assertEquals(3e-3, t.sftLearningRate(0), 0);
      assertEquals(3e-3, t.sftLearningRate(0.7), 0);
      t.withSftDecay(2e-4);
      assertEquals(3e-3, t.sftLearningRate(0), 1e-12);
      assertEquals((3e-3 + 2e-4) / 2, t.sftLearningRate(0.5), 1e-12);
      assertEquals(2e-4, t.sftLearningRate(1), 1e-12);
      assertEquals(2e-4, t.sftLearningRate(3), 1e-12); // clamped past the budget
      assertTrue(t.sftLearningRate(0.25) > t.sftLearningRate(0.5));
      assertThrows(IllegalArgumentException.class, () -> t.withSftDecay(1e-2));
      assertThrows(IllegalArgumentException.class, () -> t.withSftDecay(0));
    }
  }

  @Test
  void sftLowersItsLossAndRlReportsRewardsAndAdvantages() {
    List<Step> steps = new ArrayList<>();
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      // a clock that never moves: the budgets and the schedule follow max-steps alone
      PolicyTrainer t = new PolicyTrainer(SETTINGS, net, () -> 0L,
          (phase, step, elapsed, budget, stats) -> steps.add(new Step(phase, step, stats))).withSftDecay(1e-3);
      TrainingData data = TrainingData.synthetic(t.encoder(), 3L, 4, DataPosition.START);
      PolicyTrainer.PhaseResult sft = t.sft(data.train(), 1000);
      assertEquals(12, sft.steps());
      assertEquals(12 * 8, sft.samples());
      double first = steps.get(0).stats().get("loss");
      double last = steps.get(11).stats().get("loss");
      assertTrue(last < first, "SFT loss " + first + " -> " + last);
      assertEquals(3e-3, steps.get(0).stats().get("lr"), 1e-9); // the first step is taken at the initial rate
      assertEquals(1e-3 + 2e-3 * 0.5 * (1 + Math.cos(Math.PI * 11 / 12)), steps.get(11).stats().get("lr"), 1e-12);

      PolicyTrainer.PhaseResult rl = t.rl(data.train(), 1000);
      assertEquals(12, rl.steps());
      assertEquals("rl-cgpo", rl.phase());
      Map<String, Double> st = rl.last();
      for (String key : List.of("reward", "iou", "confidence", "positive", "format", "vertices", "loss")) {
        assertTrue(st.containsKey(key), key);
        assertTrue(Double.isFinite(st.get(key)), key + " = " + st.get(key));
      }
      assertTrue(st.get("positive") >= 0 && st.get("positive") <= 1);
      assertTrue(st.get("reward") >= 0 && st.get("reward") <= 1);
    }
  }
}
