package saliency.model.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.optim.Adam;
import saliency.model.text.Answer;

/** The promptable segmenter: its prompt drawing, learning from prompts, the cached base path and its checkpoint. */
class PromptSegmenterTest {
  static final int G = PromptSegmenter.GRID;
  static final int P = PromptSegmenter.PROMPT_CHANNELS;

  @Test
  void promptChannelsDrawTheBoxThePointsAndThePosition() {
    Answer.Prompt p = new Answer.Prompt(new double[] {0.25, 0.5, 0.75, 1.0},
        List.of(new double[] {0.5, 0.75}, new double[] {0.1, 0.1}), new int[] {1, 0});
    float[] c = PromptSegmenter.promptChannels(p);
    assertEquals(G * G * P, c.length);
    int inside = (21 * G + 14) * P; // cell centre (0.518, 0.768)
    int outside = (2 * G + 2) * P;
    assertEquals(1f, c[inside]);
    assertEquals(0f, c[outside]);
    assertTrue(c[inside + 1] > 0.7, "positive heat peaks at its point: " + c[inside + 1]);
    assertEquals(0f, c[outside + 1], 1e-3, "positive heat is local");
    assertTrue(c[outside + 2] > 0.5, "negative point drawn in its own channel: " + c[outside + 2]);
    assertEquals(0f, c[inside + 2], 1e-3);
    assertEquals((14 + 0.5) / G, c[inside + 3], 1e-6);
    assertEquals((21 + 0.5) / G, c[inside + 4], 1e-6);
  }

  @Test
  void learnsToFollowTheBoxAndTheCachedBasePathMatchesTraining() {
    // features carry no information; the target is the box: only the prompt can explain it
    Random rnd = new Random(3);
    int n = 4;
    float[] f28 = new float[n * G * G * PromptSegmenter.C28];
    float[] f14 = new float[n * 14 * 14 * PromptSegmenter.C14];
    for (int i = 0; i < f28.length; i += 97) {
      f28[i] = rnd.nextFloat() * 6;
    }
    float[] prompts = new float[n * G * G * P];
    float[] targets = new float[n * G * G];
    for (int i = 0; i < n; i++) {
      double x0 = 0.1 + 0.2 * i;
      Answer.Prompt pr = new Answer.Prompt(new double[] {x0, 0.2, x0 + 0.3, 0.7}, List.of(), new int[0]);
      float[] c = PromptSegmenter.promptChannels(pr);
      System.arraycopy(c, 0, prompts, i * G * G * P, G * G * P);
      for (int k = 0; k < G * G; k++) {
        targets[i * G * G + k] = c[k * P];
      }
    }
    try (PromptSegmenter seg = PromptSegmenter.create(1, 1)) {
      Adam adam = new Adam(Adam.Settings.defaults(3e-3), seg.parameterCount());
      float[] w = seg.getWeights();
      double first = Double.NaN;
      double last = Double.NaN;
      for (int step = 0; step < 80; step++) {
        PromptSegmenter.Step s = seg.gradient(f28, f14, prompts, targets, n);
        first = step == 0 ? s.loss() : first;
        last = s.loss();
        adam.apply(w, s.gradient());
        seg.setWeights(w);
      }
      assertTrue(last < 0.3 * first, "loss " + first + " -> " + last);
      // the per-image base, then the prompt: inside the box high, outside low
      float[] one28 = java.util.Arrays.copyOfRange(f28, 0, G * G * PromptSegmenter.C28);
      float[] one14 = java.util.Arrays.copyOfRange(f14, 0, 14 * 14 * PromptSegmenter.C14);
      float[] base = seg.base(one28, one14);
      float[] probs = seg.probabilities(base, java.util.Arrays.copyOfRange(prompts, 0, G * G * P), 1);
      double in = 0;
      double out = 0;
      int nin = 0;
      for (int k = 0; k < G * G; k++) {
        if (targets[k] > 0.5) {
          in += probs[k];
          nin++;
        } else {
          out += probs[k];
        }
      }
      assertTrue(in / nin > 0.7 && out / (G * G - nin) < 0.3, "inside " + in / nin + ", outside "
          + out / (G * G - nin));
    }
  }

  @Test
  void weightsAreCheckedAndTheCheckpointRoundTripsAndDetectsDamage(@TempDir Path dir) throws IOException {
    try (PromptSegmenter a = PromptSegmenter.create(1, 1); PromptSegmenter b = PromptSegmenter.create(2, 1)) {
      assertThrows(IllegalArgumentException.class, () -> a.setWeights(new float[3]));
      float[] nan = a.getWeights();
      nan[5] = Float.NaN;
      assertThrows(IllegalArgumentException.class, () -> a.setWeights(nan));
      Path f = dir.resolve("segmenter.ckpt");
      SegmenterCheckpoint.save(a, f);
      SegmenterCheckpoint.load(f, b);
      assertArrayEquals(a.getWeights(), b.getWeights());
      byte[] bytes = Files.readAllBytes(f);
      bytes[100] ^= 0x10;
      Files.write(f, bytes);
      IOException e = assertThrows(IOException.class, () -> SegmenterCheckpoint.load(f, b));
      assertTrue(e.getMessage().contains("checksum"), e.getMessage());
      Files.write(f, java.util.Arrays.copyOf(bytes, 50));
      e = assertThrows(IOException.class, () -> SegmenterCheckpoint.load(f, b));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
      bytes = Files.readAllBytes(dir.resolve("segmenter.ckpt"));
      java.nio.ByteBuffer.wrap(bytes).putInt(8, Integer.MAX_VALUE); // a huge count: refused before any allocation
      Files.write(f, bytes);
      e = assertThrows(IOException.class, () -> SegmenterCheckpoint.load(f, b));
      assertTrue(e.getMessage().contains("weights, the segmenter has"), e.getMessage());
    }
  }
}
