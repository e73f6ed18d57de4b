package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import saliency.model.data.SyntheticScenes;
import saliency.model.optim.Adam;
import saliency.model.policy.PolicyNetwork;
import saliency.model.policy.TrainStep;
import saliency.model.tfjs.MobileNetV2Features;

/** SFT of the default-sized policy over real frozen MobileNetV2 features of synthetic scenes (64 upscaled to 224). */
class MobileNetEncoderTrainingTest {
  @Test
  void sftOnFixedScenesReducesTheLoss() throws IOException {
    Path weights = Path.of("weights");
    Assumptions.assumeTrue(Files.isRegularFile(weights.resolve("mobilenet_v2_mid/model.json")),
        "MobileNetV2 weights not found under weights/ (run from the repository root)");
    TrainSettings s =
        TrainSettings.defaults().withEncoding(TrainSettings.Encoding.mobileNet(MobileNetV2Features.MAP_14X14X136));
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(11));
    int n = 4;
    try (FeatureCache cache = FeatureCache.mobileNetV2(weights, s.encoding().featureMap(), 1, 1 << 24);
        PolicyNetwork net = PolicyNetwork.create(s.policyConfig())) {
      ExampleEncoder enc = new ExampleEncoder(s, cache);
      List<Prepared> batch = new ArrayList<>();
      for (int i = 0; batch.size() < n; i++) {
        Prepared p = enc.prepare(scenes.get(i), true);
        if (p.target() != null) {
          batch.add(p);
        }
      }
      float[] x = ExampleEncoder.stack(batch);
      int[][] targets = batch.stream().map(Prepared::target).toArray(int[][]::new);
      int[] prompts = Prepared.promptTokens(batch);
      TrainStep step = new TrainStep(net, Adam.Settings.defaults(2e-3), 1.0);
      double first = step.sft(x, n, prompts, targets).loss();
      double last = first;
      for (int i = 0; i < 25; i++) {
        TrainStep.Outcome o = step.sft(x, n, prompts, targets);
        assertTrue(o.applied(), "step " + i + " skipped (non-finite gradient)");
        last = o.loss();
      }
      assertTrue(last < 0.7 * first, "SFT loss " + first + " -> " + last);
      PolicyNetwork.Samples greedy = net.sample(x, n, prompts, 1.0, true, 1L);
      assertNotNull(greedy.tokens());
      assertEquals(n, cache.stats().misses());
    }
  }
}
