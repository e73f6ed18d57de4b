package saliency.actors.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import saliency.model.data.SyntheticScenes;
import saliency.model.policy.PolicyConfig;
import saliency.model.policy.PolicyNetwork;
import saliency.model.text.Vocabulary;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.TinySettings;
import saliency.model.train.TrainSettings;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.GradientResult;

/** The TensorFlow backend: batched sampling with head predictions, lazily uploaded slices, batched gradients. */
class TfPolicyBackendTest {
  static final PolicyConfig TINY = new PolicyConfig(32, Vocabulary.FIRST_COORD + 16, 20, List.of(8, 16), 24, 8, 8,
      8, "/CPU:0", 1, 1, 3L, Vocabulary.PAD, Vocabulary.END, false);
  static final TrainSettings SETTINGS = TinySettings.of("head", 3L);

  @Test
  void samplesBatchesWithHeadPredictionsUploadsSlicesOnceAndDifferentiatesBatches() {
    ExampleEncoder encoder = new ExampleEncoder(SETTINGS);
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(4L).withSize(32, 32));
    List<Prepared> inputs = List.of(encoder.prepare(scenes.next(), false), encoder.prepare(scenes.next(), false));
    try (PolicyNetwork reference = PolicyNetwork.create(TINY)) {
      TfPolicyBackend backend = new TfPolicyBackend(PolicyNetwork.create(TINY), encoder.tokenizer().vocabulary(),
          new TfPolicyBackend.Settings(1.0, true, 9L, SETTINGS.rl().algorithm()));
      try (backend) {
        List<List<Completion>> out = backend.sampleBatch(inputs, 3);
        assertEquals(2, out.size());
        float[] head = reference.predictConfidence(ExampleEncoder.stack(inputs), 2,
            new int[] {Vocabulary.SOD, Vocabulary.SOD});
        for (int i = 0; i < 2; i++) {
          assertEquals(3, out.get(i).size());
          for (Completion c : out.get(i)) {
            assertTrue(c.length() >= 1 && c.length() <= TINY.maxLen());
            assertEquals(head[i], c.predictedReward(), 1e-5, "head prediction rides on the completion");
          }
        }

        // slices are gathered and uploaded once, before the next call
        int p = backend.parameterCount();
        float[] a = new float[p / 2];
        float[] b = new float[p - p / 2];
        Arrays.fill(a, 0.01f);
        Arrays.fill(b, -0.02f);
        backend.setSlice(0, a);
        backend.setSlice(p / 2, b);
        assertEquals(0, backend.uploads());
        float[] expected = new float[p];
        System.arraycopy(a, 0, expected, 0, a.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        assertArrayEquals(expected, backend.flatWeights());
        Completion c = out.get(0).get(0);
        GradientResult g = backend.gradients(List.of(
            new GradientExample<>(inputs.get(0), c.tokens(), 0.5, c.tokenLogProbs(), 0.3),
            new GradientExample<>(inputs.get(1), out.get(1).get(0).tokens(), -0.5,
                out.get(1).get(0).tokenLogProbs(), 0.6)));
        assertEquals(1, backend.uploads(), "two slices, one upload");
        assertArrayEquals(expected, backend.network().getFlatWeights());
        assertEquals(p, g.gradient().length);
        assertTrue(Double.isFinite(g.loss()));
        assertThrows(IllegalArgumentException.class, () -> backend.setSlice(p - 1, new float[2]));
      }
    }
  }

  @Test
  void feedsPrecomputedFeaturesToAMobileNetPolicy() {
    // a mobilenet_v2 policy takes (G, G, C) features as its input; the backend must size inputs by the encoder
    PolicyConfig features = TINY.withMobileNetV2(4, 6, List.of(8));
    ExampleEncoder encoder = new ExampleEncoder(SETTINGS);
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(5L).withSize(32, 32));
    Prepared image = encoder.prepare(scenes.next(), false);
    float[] map = new float[4 * 4 * 6];
    for (int i = 0; i < map.length; i++) {
      map[i] = (i % 7) / 7f;
    }
    Prepared withFeatures = new Prepared(image.original(), map, image.modelMask(), null);
    try (TfPolicyBackend backend = new TfPolicyBackend(PolicyNetwork.create(features),
        encoder.tokenizer().vocabulary(), new TfPolicyBackend.Settings(1.0, false, 9L, SETTINGS.rl().algorithm()))) {
      List<List<Completion>> out = backend.sampleBatch(List.of(withFeatures), 2);
      assertEquals(2, out.get(0).size());
      Completion c = out.get(0).get(0);
      GradientResult g = backend.gradients(List.of(new GradientExample<>(withFeatures, c.tokens(), 0.5,
          c.tokenLogProbs(), 0.3)));
      assertEquals(backend.parameterCount(), g.gradient().length);
      // raw pixels are refused with a message naming the image
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> backend.sampleBatch(List.of(image), 1));
      assertTrue(e.getMessage().contains(image.original().name()), e.getMessage());
    }
  }
}
