package saliency.model.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import saliency.model.metrics.instance.InstanceResults;
import saliency.model.text.Task;

/**
 * Held-out figures of one task; immutable.
 *
 * @param task the task the held-out images were asked for
 * @param region the salient-object figures of the task's maps (for SIS, of the union of the instances)
 * @param instances for SIS, the instance figures (COCO AP50, AP50:95, mean matched IoU) of the greedy answers; null
 *     for the other tasks
 * @param groups for CoSOD, the figures of each image group's maps and their mean over groups; null for the other
 *     tasks
 */
public record TaskScores(Task task, EvalResult region, InstanceResults instances, GroupMaps.Scores groups) {
  /** Scores without group figures. */
  public TaskScores(Task task, EvalResult region, InstanceResults instances) {
    this(task, region, instances, null);
  }

  public TaskScores {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(region, "region");
  }

  /**
   * The task's headline figures by name: S-measure, IoU, max-F and MAE; for SIS AP50, AP and mean matched IoU; for
   * CoSOD the mean over groups of the group S-measure and max-F.
   */
  public Map<String, Double> figures() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("Smeasure", region.sMeasure());
    m.put("greedyIoU", region.greedyIoU());
    m.put("maxF", region.maxF());
    m.put("MAE", region.mae());
    m.put("format", region.formatRate());
    if (instances != null) {
      m.put("AP50", instances.ap50());
      m.put("AP", instances.ap());
      m.put("meanMatchedIoU", instances.meanMatchedIou());
    }
    if (groups != null) {
      m.put("groupSmeasure", groups.sMeasure());
      m.put("groupMaxF", groups.maxF());
      m.put("groups", (double) groups.groups().size());
    }
    return m;
  }

  @Override
  public String toString() {
    String name = task.name().toLowerCase(Locale.ROOT);
    if (groups != null) {
      return name + ": " + groups + "; all images: " + region;
    }
    if (instances == null) {
      return name + ": " + region;
    }
    return String.format(Locale.ROOT, "%s: AP50 %.4f, AP %.4f, mean matched IoU %.4f (%d instances, %d predicted); "
        + "union: %s", name, instances.ap50(), instances.ap(), instances.meanMatchedIou(), instances.truths(),
        instances.predictions(), region);
  }
}
