package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Group size of the grouped RL arms: set, kept through other changes, and checked against the RL batch. */
class TrainSettingsTest {
  @Test
  void aGroupSizeIsKeptWhenTheAlgorithmChanges() {
    TrainSettings s = TrainSettings.defaults().withGroupSize(8).withAlgo("grpo", "calibrated");
    assertEquals(8, s.rl().groupSize());
    assertEquals(saliency.model.rl.AlgorithmName.GRPO, s.rl().algo());
    assertEquals(0, s.rlBatch() % s.rl().algorithm().completionsPerPrompt());
  }

  @Test
  void aGroupSizeThatDoesNotDivideTheRlBatchIsRejectedForGrpo() {
    TrainSettings s = TrainSettings.defaults().withGroupSize(TrainSettings.defaults().rlBatch() + 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.withAlgo("grpo", "calibrated"));
    assertTrue(e.getMessage().contains("group-size"), e.getMessage());
  }

  @Test
  void aNonPositiveGroupSizeIsRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainSettings.defaults().withGroupSize(0));
    assertTrue(e.getMessage().contains("group-size"), e.getMessage());
  }

  @Test
  void unknownAlgorithmAndConfidenceNamesAreRefusedWithTheValidOnes() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TrainSettings.defaults().withAlgo("ppo", "calibrated"));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cgpo, grpo, gspo, reinforce++"),
        e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TrainSettings.defaults().withAlgo("cgpo", "bogus"));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("seqprob"), e.getMessage());
  }
}
