package saliency.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.geometry.PolygonRasterizer;
import saliency.model.image.Resizer;
import saliency.model.reward.RewardBreakdown;
import saliency.model.reward.RewardFunction;
import saliency.model.reward.RewardWeights;
import saliency.model.text.Answer;
import saliency.model.text.ParseResult;
import saliency.model.text.Task;

/**
 * The reward of a completion for the task its example asks for, at model resolution: SOD, COD and CoSOD compare the
 * region mask with the ground truth ({@link RewardFunction#score}); SIS matches the {@code <ins>} instances one to one
 * with the ground-truth instances (Hungarian on IoU, {@link RewardFunction#scoreInstances}), and its format term needs
 * an instance answer. Immutable; it holds only the reward weights. Both RL drivers (the single-process trainer and the
 * pipeline's reward stage) score through it.
 */
public final class TaskRewards {
  private final RewardFunction rewards;

  public TaskRewards(RewardWeights weights) {
    this.rewards = new RewardFunction(Objects.requireNonNull(weights, "weights"));
  }

  /**
   * The reward of {@code parsed} for {@code example}; {@code regionMask} is the mask the completion draws at the size
   * of the example's model mask (its polygons' union, or a prompt answer's segmentation).
   */
  public RewardBreakdown score(Prepared example, ParseResult parsed, Mask regionMask) {
    Objects.requireNonNull(example, "example");
    Objects.requireNonNull(parsed, "parsed");
    Objects.requireNonNull(regionMask, "regionMask");
    Mask gt = example.modelMask();
    if (example.task() != Task.SIS) {
      return rewards.score(regionMask, gt, parsed.formatOk());
    }
    List<Mask> predicted = instances(parsed, gt.width(), gt.height());
    return rewards.scoreInstances(predicted, modelInstances(example), gt.width(), gt.height(),
        formatOk(Task.SIS, parsed));
  }

  /** Whether a completion has the format the task asks for: well formed, and for SIS an {@code <ins>} answer. */
  public static boolean formatOk(Task task, ParseResult parsed) {
    if (!parsed.formatOk()) {
      return false;
    }
    return task != Task.SIS || parsed instanceof ParseResult.Parsed p && p.answer() instanceof Answer.Instances;
  }

  /** One mask per {@code <ins>} polygon, in the answer's order; none for a failed parse or another answer form. */
  public static List<Mask> instances(ParseResult parsed, int width, int height) {
    if (parsed instanceof ParseResult.Parsed p && p.answer() instanceof Answer.Instances in) {
      return PolygonRasterizer.rasterizeEach(in.instances(), width, height);
    }
    return List.of();
  }

  /**
   * The example's ground-truth instances at the size of its model mask (stretched when the original is another size);
   * an example without instance masks counts its salient mask as one instance (none when that is empty).
   */
  public static List<Mask> modelInstances(Prepared example) {
    Mask gt = example.modelMask();
    List<Mask> original = example.original().instances();
    if (original.isEmpty()) {
      return gt.count() > 0 ? List.of(gt) : List.of();
    }
    List<Mask> out = new ArrayList<>(original.size());
    Resizer resizer = null;
    for (Mask m : original) {
      if (m.width() == gt.width() && m.height() == gt.height()) {
        out.add(m);
      } else {
        if (resizer == null) {
          if (gt.width() != gt.height()) {
            throw new IllegalArgumentException(example.original().name() + ": model mask " + gt.width() + "x"
                + gt.height() + " is not square");
          }
          resizer = Resizer.stretch(gt.width());
        }
        out.add(resizer.resizeMask(m));
      }
    }
    return out;
  }
}
