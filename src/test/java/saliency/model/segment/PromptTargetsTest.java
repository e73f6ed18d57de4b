package saliency.model.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;
import saliency.model.text.Answer;
import saliency.model.text.ParseResult;

/** Prompts from ground-truth masks: the SFT target and the segmenter's jittered training prompts. */
class PromptTargetsTest {
  static Mask rect(int w, int h, int x0, int y0, int x1, int y1) {
    Mask m = new Mask(w, h);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        m.set(x, y, true);
      }
    }
    return m;
  }

  @Test
  void targetIsTheBoundingBoxAndTheMostInteriorPixel() {
    Mask m = rect(100, 50, 10, 20, 30, 40); // an L: a 20x20 square plus a thin arm to the right
    for (int x = 30; x < 90; x++) {
      m.set(x, 20, true);
    }
    Answer.Prompt p = PromptTargets.target(m);
    assertArrayEquals(new double[] {0.10, 0.40, 0.90, 0.80}, p.box(), 1e-12);
    double[] pt = p.points().get(0);
    assertEquals(1, p.labels()[0]);
    assertEquals(20.5 / 100, pt[0], 0.025, "point in the square's middle, not on the arm");
    assertEquals(30.5 / 50, pt[1], 0.05);
    assertTrue(ParseResult.isWellFormed(p));
    assertNull(PromptTargets.target(new Mask(8, 8)));
  }

  @Test
  void jitteredPromptsStayValidAndPointsLandOnTheRightSide() {
    Mask m = rect(64, 64, 16, 16, 48, 40);
    Random rnd = new Random(5);
    int unprompted = 0;
    for (int i = 0; i < 500; i++) {
      Answer.Prompt p = PromptTargets.jittered(m, rnd, 0.2, 0.2);
      assertTrue(ParseResult.isWellFormed(p), "well formed");
      if (p.points().isEmpty()) {
        assertArrayEquals(new double[] {0, 0, 1, 1}, p.box());
        unprompted++;
        continue;
      }
      for (int k = 0; k < p.points().size(); k++) {
        double[] pt = p.points().get(k);
        boolean on = m.get((int) (pt[0] * 64), (int) (pt[1] * 64));
        assertEquals(p.labels()[k] == 1, on, "label " + p.labels()[k] + " point on the mask: " + on);
      }
      assertTrue(Math.abs(p.box()[0] - 0.25) <= 0.2 * 0.5 + 1e-9, "box edge moved at most jitter * side");
    }
    assertTrue(unprompted > 60 && unprompted < 140, "about a fifth unprompted: " + unprompted);
  }
}
