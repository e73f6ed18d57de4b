package saliency.actors.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;

/** The learner part of {@code bench} with a short budget: the slice takes gradients and steps; no timing is checked. */
class LearnerBenchTest {
  @Test
  void aSliceAbsorbsTheSyntheticStream() throws Exception {
    SaliencySettings settings = SaliencySettings.fromConfig(ConfigFactory.load());
    SliceLayout layout = SliceLayout.of(40_000, 4, settings.maxFloatsPerSlice());
    LearnerBench.Result r = LearnerBench.absorb(ConfigFactory.load(), layout, settings.learner(), 2, 0.2, 0.5);
    assertEquals(10_000, r.floatsPerSlice());
    assertTrue(r.accepted() > 0, r.toString());
    assertTrue(r.versions() > 0, r.toString());
  }
}
