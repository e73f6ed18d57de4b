package saliency.actors.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.policy.PolicyConfig;
import saliency.model.reward.RewardWeights;
import saliency.model.train.RunFolder;
import saliency.model.train.TrainSettings;

/** Phase budgets of a run and the answer form's settings. */
class TrainScheduleTest {
  static final TrainSettings PROMPT = TrainSettings.defaults()
      .withEncoding(TrainSettings.Encoding.prompts())
      .withRewardWeights(RewardWeights.segR1().normalized())
      .withSft(TrainSettings.defaults().sft().withSeconds(300))
      .withRlPhase(TrainSettings.defaults().rlPhase().withSeconds(0));

  @Test
  void aTotalBudgetIsSplitBetweenSegmenterSftAndRl() {
    TrainRun.Schedule s = TrainRun.schedule(PROMPT, 600, 0, false);
    assertEquals(240, s.segmenter(), 1e-9);
    assertEquals(300, s.sft(), 1e-9);
    assertEquals(60, s.rl(), 1e-9);
    TrainRun.Schedule control = TrainRun.schedule(PROMPT, 600, 0, true);
    assertEquals(360, control.sft(), 1e-9, "the SFT-only control gets every second the segmenter leaves");
    assertEquals(0, control.rl(), 1e-9);
    TrainRun.Schedule small = TrainRun.schedule(PROMPT, 120, 0, false);
    assertEquals(48, small.segmenter(), 1e-9);
    assertEquals(42, small.sft(), 1e-9, "SFT leaves RL at least 30 s");
    TrainRun.Schedule polygon = TrainRun.schedule(TrainSettings.defaults(), 0, 90, false);
    assertEquals(0, polygon.segmenter(), 1e-9);
    assertEquals(150, polygon.sft(), 1e-9);
    assertEquals(90, polygon.rl(), 1e-9);
  }

  @Test
  void promptAnswersNeedTheMobileNetEncoderAndAreRecordedInTheRunFolder(@TempDir Path dir) throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TrainSettings.Encoding(PolicyConfig.CONV, TrainSettings.DEFAULT_FEATURE_MAP, TrainSettings.PROMPT));
    assertTrue(e.getMessage().contains("needs encoder mobilenet_v2"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new TrainSettings.Encoding(PolicyConfig.CONV, TrainSettings.DEFAULT_FEATURE_MAP, "mask"));
    RunFolder f = new RunFolder(dir);
    f.writeSettings(PROMPT);
    assertEquals(PROMPT, f.readSettings());
    assertTrue(f.readSettings().promptAnswers());
    f.writeSettings(TrainSettings.defaults());
    assertEquals(TrainSettings.POLYGON, f.readSettings().encoding().answer());
  }
}
