package saliency.actors.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import saliency.model.advantage.AdvantageResult;
import saliency.model.advantage.AdvantageSettings;
import saliency.model.advantage.Scored;
import saliency.model.geometry.Mask;
import saliency.model.policy.confidence.CalibratedConfidence;
import saliency.model.policy.confidence.ConfidenceEstimator;
import saliency.model.policy.confidence.ConfidenceInput;
import saliency.model.policy.confidence.HeadConfidence;
import saliency.model.policy.confidence.SeqProbConfidence;
import saliency.model.reward.RewardBreakdown;
import saliency.model.reward.RewardWeights;
import saliency.model.text.ParseResult;
import saliency.model.text.Vocabulary;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.streams.AdvantageEstimator;
import saliency.streams.Algo;
import saliency.streams.Completion;
import saliency.streams.Reward;
import saliency.streams.RewardFunction;
import saliency.streams.Sample;
import saliency.streams.Segmenter;

/**
 * The model's implementations of the training graph's pluggable stages for prepared examples: segment (decode the
 * tokens, rasterize at model resolution), reward ({@link saliency.model.reward.RewardFunction}) and advantage (the
 * model estimators by algorithm, CGPO with a confidence estimator); stateless factory.
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

  /** The weighted reward against the model-resolution ground truth; parts iou, smeasure, centroid, format. */
  public static RewardFunction<Prepared, Segmentation> reward(RewardWeights weights) {
    saliency.model.reward.RewardFunction f = new saliency.model.reward.RewardFunction(weights);
    return (x, c, seg) -> {
      RewardBreakdown b = f.score(seg.mask(), x.modelMask(), seg.parsed().formatOk());
      return new Reward(b.total(), Map.of("iou", b.iou(), "smeasure", b.smeasure(), "centroid", b.centroid(),
          "format", b.format()));
    };
  }

  /**
   * The advantage stage for {@code algo}: CGPO ({@link saliency.model.advantage.Cgpo}, the single-process trainer's
   * estimator) sets {@code A = r - c} with {@code c} from {@code confidence}
   * ({@code seqprob} and {@code calibrated} from the sample's own token log-probabilities, {@code head} from the
   * prediction the policy made when sampling); GRPO, GSPO and REINFORCE++ use the model estimators over each unit.
   * Every sample that passes is counted into {@code meter}. The estimator is stateful for {@code calibrated} and must
   * stay in the graph's single-threaded advantage stage.
   */
  public static AdvantageEstimator<Prepared, Segmentation> advantage(Algo algo, String confidence, RunMeter meter) {
    return new Advantage(algo, confidence, meter);
  }

  /** Mean per-token log-probability of a completion (0 for an empty one). */
  static float meanLogp(Completion c) {
    return c.length() == 0 ? 0f : (float) (c.sumLogProb() / c.length());
  }

  /** The advantage adapter; owns the CGPO confidence estimator (confined to the advantage stage). */
  private static final class Advantage implements AdvantageEstimator<Prepared, Segmentation> {
    private static final int[] PROMPT = {Vocabulary.SOD};
    private static final float[] NO_IMAGE = new float[0];
    private static final saliency.model.advantage.Cgpo CGPO = new saliency.model.advantage.Cgpo();

    private final Algo algo;
    private final String confidenceName;
    private final ConfidenceEstimator confidence;
    private final saliency.model.advantage.AdvantageEstimator grouped;
    private final RunMeter meter;

    Advantage(Algo algo, String confidenceName, RunMeter meter) {
      this.algo = Objects.requireNonNull(algo, "algo");
      this.confidenceName = Objects.requireNonNull(confidenceName, "confidence");
      this.meter = Objects.requireNonNull(meter, "meter");
      this.confidence = switch (confidenceName) {
        case SeqProbConfidence.NAME -> new SeqProbConfidence();
        case CalibratedConfidence.NAME -> CalibratedConfidence.defaults();
        case HeadConfidence.NAME -> null;
        default -> throw new IllegalArgumentException("unknown confidence estimator '" + confidenceName
            + "', expected one of seqprob, calibrated, head");
      };
      this.grouped = algo == Algo.CGPO ? null
          : saliency.model.advantage.AdvantageEstimator.named(algo.configName(), AdvantageSettings.DEFAULTS);
    }

    @Override
    public List<Sample<Prepared, Segmentation>> estimate(List<Sample<Prepared, Segmentation>> unit) {
      return algo == Algo.CGPO ? cgpo(unit) : grouped(unit);
    }

    private List<Sample<Prepared, Segmentation>> cgpo(List<Sample<Prepared, Segmentation>> unit) {
      List<Sample<Prepared, Segmentation>> out = new ArrayList<>(unit.size());
      for (Sample<Prepared, Segmentation> s : unit) {
        double r = s.rewardTotal();
        double c;
        if (confidence == null) {
          c = s.completion().predictedReward();
          if (!Double.isFinite(c)) {
            throw new IllegalStateException("confidence 'head' needs the policy's predicted reward on every sample "
                + "(prompt " + s.promptId() + " has none)");
          }
        } else {
          ConfidenceInput in = new ConfidenceInput(NO_IMAGE, 1, PROMPT, new float[] {meanLogp(s.completion())});
          c = confidence.confidences(in)[0];
          confidence.observe(new double[] {r}, in);
        }
        double advantage = CGPO.estimate(List.of(Scored.of(Long.toString(s.promptId()), r, c))).advantage(0);
        Sample<Prepared, Segmentation> a = s.withAdvantage(advantage, c);
        meter.record(a);
        out.add(a);
      }
      return out;
    }

    private List<Sample<Prepared, Segmentation>> grouped(List<Sample<Prepared, Segmentation>> unit) {
      List<Scored> scored = new ArrayList<>(unit.size());
      for (Sample<Prepared, Segmentation> s : unit) {
        double lp = meanLogp(s.completion());
        scored.add(new Scored(Long.toString(s.promptId()), s.rewardTotal(), 0.0, lp, lp));
      }
      AdvantageResult r = grouped.estimate(scored);
      List<Sample<Prepared, Segmentation>> out = new ArrayList<>(unit.size());
      for (int i = 0; i < unit.size(); i++) {
        Sample<Prepared, Segmentation> s = unit.get(i);
        if (r.kept(i)) {
          Sample<Prepared, Segmentation> a = s.withAdvantage(r.advantage(i), Double.NaN);
          meter.record(a);
          out.add(a);
        } else {
          meter.recordSkipped(s);
        }
      }
      return out;
    }

    @Override
    public String toString() {
      return "advantage[" + algo.configName() + (algo == Algo.CGPO ? ", " + confidenceName : "") + "]";
    }
  }
}
