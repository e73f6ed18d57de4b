package saliency.actors.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.policy.confidence.ConfidenceEstimator;
import saliency.model.policy.confidence.ConfidenceEstimators;
import saliency.model.policy.confidence.ConfidenceInput;
import saliency.model.policy.confidence.HeadConfidence;
import saliency.model.reward.RewardBreakdown;
import saliency.model.reward.RewardWeights;
import saliency.model.rl.AdvantageResult;
import saliency.model.rl.Algorithm;
import saliency.model.rl.Scored;
import saliency.model.text.ParseResult;
import saliency.model.text.Vocabulary;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.TaskRewards;
import saliency.streams.AdvantageEstimator;
import saliency.streams.Completion;
import saliency.streams.Reward;
import saliency.streams.RewardFunction;
import saliency.streams.Sample;
import saliency.streams.Segmenter;

/**
 * The model's implementations of the training graph's pluggable stages for prepared examples: segment (decode the
 * tokens, rasterize at model resolution), reward ({@link saliency.model.reward.RewardFunction}) and advantage (the
 * {@link Algorithm}'s, with a confidence estimator for the algorithms that read one); stateless factory.
 */
public final class ModelStages {
  private ModelStages() {}

  /** What the segment stage makes of a completion: the parse and the mask it draws at model resolution. */
  public record Segmentation(ParseResult parsed, Mask mask) {
    public Segmentation {
      Objects.requireNonNull(parsed, "parsed");
      Objects.requireNonNull(mask, "mask");
    }
  }

  /**
   * Decodes the completion's tokens and makes its mask at the size of the example's model mask (polygons rasterized,
   * prompts through the encoder's promptable segmenter).
   */
  public static Segmenter<Prepared, Segmentation> segmenter(ExampleEncoder encoder) {
    Objects.requireNonNull(encoder, "encoder");
    return (x, c) -> {
      ParseResult parsed = encoder.decode(c.tokens());
      return new Segmentation(parsed, encoder.mask(x, parsed, x.modelMask().width(), x.modelMask().height()));
    };
  }

  /**
   * The weighted reward of the example's task against the model-resolution ground truth ({@link TaskRewards}: SIS
   * instances Hungarian-matched, the other tasks' region mask); parts iou, smeasure, centroid, format.
   */
  public static RewardFunction<Prepared, Segmentation> reward(RewardWeights weights) {
    TaskRewards f = new TaskRewards(weights);
    return (x, c, seg) -> {
      RewardBreakdown b = f.score(x, seg.parsed(), seg.mask());
      return new Reward(b.total(), Map.of("iou", b.iou(), "smeasure", b.smeasure(), "centroid", b.centroid(),
          "format", b.format()));
    };
  }

  /**
   * The advantage stage of {@code algorithm}, the object the single-process trainer runs too: each unit's samples
   * become {@link Scored}s (reward; confidence when the algorithm reads it: {@code seqprob} and {@code calibrated} from
   * the sample's own token log-probabilities, {@code head} from the prediction the policy made when sampling) and
   * get {@link Algorithm#advantages}; samples the algorithm does not keep are skipped. Every sample is counted into
   * {@code meter}. The estimator is stateful for {@code calibrated} and must stay in the graph's single-threaded
   * advantage stage.
   */
  public static AdvantageEstimator<Prepared, Segmentation> advantage(Algorithm algorithm, RunMeter meter) {
    return new Advantage(algorithm, meter);
  }

  /** Mean per-token log-probability of a completion (0 for an empty one). */
  static float meanLogp(Completion c) {
    return c.length() == 0 ? 0f : (float) (c.sumLogProb() / c.length());
  }

  /** The advantage adapter; owns the confidence estimator (confined to the advantage stage). */
  private static final class Advantage implements AdvantageEstimator<Prepared, Segmentation> {
    private static final int[] PROMPT = {Vocabulary.SOD};
    private static final float[] NO_IMAGE = new float[0];

    private final Algorithm algorithm;
    private final ConfidenceEstimator confidence; // null: none, or the policy's head prediction
    private final RunMeter meter;

    Advantage(Algorithm algorithm, RunMeter meter) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      this.meter = Objects.requireNonNull(meter, "meter");
      String name = algorithm.settings().confidence();
      this.confidence = algorithm.usesConfidence() && !name.equals(HeadConfidence.NAME)
          ? ConfidenceEstimators.create(name, null) : null;
    }

    @Override
    public List<Sample<Prepared, Segmentation>> estimate(List<Sample<Prepared, Segmentation>> unit) {
      int n = unit.size();
      double[] c = new double[n];
      List<Scored> scored = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Sample<Prepared, Segmentation> s = unit.get(i);
        c[i] = algorithm.usesConfidence() ? confidence(s) : Double.NaN;
        double lp = meanLogp(s.completion());
        scored.add(new Scored(Long.toString(s.promptId()), s.rewardTotal(), algorithm.usesConfidence() ? c[i] : 0.0,
            lp, lp));
      }
      AdvantageResult r = algorithm.advantages(scored);
      List<Sample<Prepared, Segmentation>> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Sample<Prepared, Segmentation> s = unit.get(i);
        if (r.kept(i)) {
          Sample<Prepared, Segmentation> a = s.withAdvantage(r.advantage(i), c[i]);
          meter.record(a);
          out.add(a);
        } else {
          meter.recordSkipped(s);
        }
      }
      return out;
    }

    /** The sample's confidence in reward units; a {@code calibrated} estimator then observes its reward. */
    private double confidence(Sample<Prepared, Segmentation> s) {
      if (confidence == null) {
        double c = s.completion().predictedReward();
        if (!Double.isFinite(c)) {
          throw new IllegalStateException("confidence 'head' needs the policy's predicted reward on every sample "
              + "(prompt " + s.promptId() + " has none)");
        }
        return c;
      }
      ConfidenceInput in = new ConfidenceInput(NO_IMAGE, 1, PROMPT, new float[] {meanLogp(s.completion())});
      return confidence.confidencesThenObserve(in, new double[] {s.rewardTotal()})[0];
    }

    @Override
    public String toString() {
      return "advantage[" + algorithm.name() + (algorithm.usesConfidence() ? ", " + algorithm.settings().confidence()
          : "") + "]";
    }
  }
}
