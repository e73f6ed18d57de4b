package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static saliency.model.rl.AlgorithmName.GRPO;

import org.junit.jupiter.api.Test;
import saliency.model.rl.AlgorithmName;
import saliency.model.rl.RlSettings;

/** Group size of the grouped RL arms: set, kept through other changes, and checked against the RL batch. */
class TrainSettingsTest {
  @Test
  void aGroupSizeIsKeptWhenTheAlgorithmChanges() {
    TrainSettings d = TrainSettings.defaults();
    TrainSettings eight = d.withRl(d.rl().withGroupSize(8));
    TrainSettings s = eight.withRl(eight.rl().withAlgo(GRPO, "calibrated"));
    assertEquals(8, s.rl().groupSize());
    assertEquals(saliency.model.rl.AlgorithmName.GRPO, s.rl().algo());
    assertEquals(0, s.rlPhase().batch() % s.rl().algorithm().completionsPerPrompt());
  }

  @Test
  void aGroupSizeThatDoesNotDivideTheRlBatchIsRejectedForGrpo() {
    TrainSettings d = TrainSettings.defaults();
    TrainSettings s = d.withRl(d.rl().withGroupSize(d.rlPhase().batch() + 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.withRl(s.rl().withAlgo(GRPO, "calibrated")));
    assertTrue(e.getMessage().contains("group-size"), e.getMessage());
  }

  @Test
  void aNonPositiveGroupSizeIsRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainSettings.defaults().withRl(RlSettings.defaults().withGroupSize(0)));
    assertTrue(e.getMessage().contains("group-size"), e.getMessage());
  }

  @Test
  void unknownAlgorithmAndConfidenceNamesAreRefusedWithTheValidOnes() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RlSettings.defaults().withAlgo(AlgorithmName.parse("ppo"), "calibrated"));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cgpo, grpo, gspo, reinforce++"),
        e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TrainSettings.defaults().withRl(RlSettings.defaults().withAlgo(AlgorithmName.CGPO, "bogus")));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("seqprob"), e.getMessage());
  }
}
