package saliency.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import saliency.model.policy.FlopCounter;
import saliency.model.policy.PolicyConfig;
import saliency.model.policy.PolicyNetwork;

/** The cheap parts of {@code bench} on a small policy, with tiny budgets: they run and count; no timing is checked. */
class BenchPartsTest {
  private static final PolicyConfig SMALL =
      new PolicyConfig(32, 82, 12, List.of(8, 16, 16), 48, 16, 16, 16, "/CPU:0", 1, 1, 7L, 0, 1, true);

  @Test
  void throughputLoopsAndTheFlopCountRunOnASmallPolicy() throws Exception {
    try (PolicyNetwork net = PolicyNetwork.create(SMALL)) {
      PolicyThroughput pt = new PolicyThroughput(net, PolicyThroughput.randomImages(new Random(1), 4, 32), 4, 1);
      PolicyThroughput.Measure s = pt.sampling(0.05);
      assertTrue(s.calls() >= 1 && s.meanTokens() > 0, s.toString());
      PolicyThroughput.Measure g = pt.gradients(0.05);
      assertTrue(g.calls() >= 1 && g.samplesPerSecond() > 0, g.toString());
      PolicyThroughput.Measure sft = pt.sftSteps(PolicyThroughput.randomImages(new Random(2), 4, 32), 4, 0.05);
      assertTrue(sft.calls() >= 1 && Double.isFinite(sft.lastLoss()), sft.toString());

      FlopCounter.PolicyFlops f = FlopCounter.policy(net, 4);
      assertEquals(0, f.gradient().unknownShapeOps());
      assertEquals(0, f.sampling().unknownShapeOps());
      assertTrue(f.gradient().conv() > 0 && f.gradient().matMul() > 0, f.toString());
      // the backward pass adds at least the forward pass's matrix products again
      assertTrue(f.gradientPerSample() > f.samplingPerSample(), f.toString());
    }
  }
}
