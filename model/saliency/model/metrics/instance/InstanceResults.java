package saliency.model.metrics.instance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dataset-level salient-instance figures of {@link InstanceMetrics}; plain immutable data.
 *
 * @param ap50 COCO average precision at IoU 0.5 (NaN when the dataset holds no ground-truth instance)
 * @param ap COCO average precision averaged over IoU 0.50:0.05:0.95 (NaN as above)
 * @param meanMatchedIou mean over images of the Hungarian-matched mean IoU, unmatched instances counting 0
 * @param images images measured
 * @param predictions predicted instances
 * @param truths ground-truth instances
 */
public record InstanceResults(
    double ap50, double ap, double meanMatchedIou, int images, int predictions, int truths) {

  /** The figures under the keys the metrics JSON uses, in a fixed order. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("AP50", ap50);
    m.put("AP50:95", ap);
    m.put("meanMatchedIoU", meanMatchedIou);
    m.put("instances", truths);
    m.put("predictedInstances", predictions);
    return m;
  }
}
