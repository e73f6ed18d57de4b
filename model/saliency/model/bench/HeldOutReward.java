package saliency.model.bench;

import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.policy.PolicyNetwork;
import saliency.model.reward.RewardFunction;
import saliency.model.text.ParseResult;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;

/**
 * The mean RL reward of a policy's greedy answers on held-out examples, scored as RL scores its samples (decoded,
 * rasterized at model resolution, rewarded by the settings' reward weights); stateless apart from its settings.
 */
final class HeldOutReward {
  private static final int BATCH = 32;

  private final ExampleEncoder encoder;
  private final RewardFunction rewards;

  HeldOutReward(ExampleEncoder encoder, RewardFunction rewards) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.rewards = Objects.requireNonNull(rewards, "rewards");
  }

  /** The mean reward of {@code net}'s greedy answers on {@code heldOut} (NaN when it is empty). */
  double mean(PolicyNetwork net, List<Prepared> heldOut) {
    double sum = 0;
    for (int from = 0; from < heldOut.size(); from += BATCH) {
      List<Prepared> batch = heldOut.subList(from, Math.min(heldOut.size(), from + BATCH));
      int n = batch.size();
      PolicyNetwork.Samples greedy = net.sample(ExampleEncoder.stack(batch), n, PolicyThroughput.prompts(n), 1.0,
          true, 7);
      for (int i = 0; i < n; i++) {
        ParseResult parsed = encoder.decode(greedy.tokens()[i]);
        Mask gt = batch.get(i).modelMask();
        Mask pred = encoder.mask(batch.get(i), parsed, gt.width(), gt.height());
        sum += rewards.score(pred, gt, parsed.formatOk()).total();
      }
    }
    return heldOut.isEmpty() ? Double.NaN : sum / heldOut.size();
  }
}
