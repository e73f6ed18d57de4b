package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures bench reads from train's printed lines (made-up lines in train's format). */
class TrainProcessTest {
  @Test
  void readsTheRlOutcomeAndTheHeldOutIous() throws IOException {
    TrainProcess.Result r = TrainProcess.parse("train --minutes 0.5", List.of(
        "data: synthetic scenes",
        "sft: 40 steps, 1280 samples, 10.0 s",
        "  held-out after SFT: greedy IoU 0.4120, sampled IoU 0.3000, S-measure 0.7000 (32 images)",
        "rl-CGPO: 3904 samples trained in 20.3 s (192.3 samples/s), 122 gradients, 0 stale gradient slices",
        "  held-out after CGPO: greedy IoU 0.4310, sampled IoU 0.3100 (32 images)",
        "run folder: /tmp/x"));
    assertEquals("CGPO", r.algorithm());
    assertEquals(3904, r.samples());
    assertEquals(20.3, r.seconds());
    assertEquals(192.3, r.samplesPerSecond());
    assertEquals(0.412, r.iouAfterSft());
    assertEquals(0.431, r.iouAfterRl());
  }

  @Test
  void failsWithoutTheRlLine() {
    IOException e = assertThrows(IOException.class, () -> TrainProcess.parse("train", List.of("run folder: /x")));
    assertTrue(e.getMessage().contains("no RL outcome"), e.getMessage());
  }
}
