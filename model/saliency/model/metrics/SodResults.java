package saliency.model.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ten dataset-level salient-object figures, averaged over images as PySODMetrics does; plain
 * immutable data.
 *
 * @param sMeasure mean per-image S-measure (alpha 0.5)
 * @param wFmeasure mean per-image weighted F-measure (beta 1)
 * @param mae mean per-image mean absolute error
 * @param adpEm mean per-image E-measure at the adaptive threshold
 * @param meanEm mean over the 256 thresholds of the image-averaged E-measure curve
 * @param maxEm maximum over the 256 thresholds of the image-averaged E-measure curve
 * @param adpFm mean per-image F-measure (beta² 0.3) at the adaptive threshold
 * @param meanFm mean over the 256 thresholds of the image-averaged F-measure curve
 * @param maxFm maximum over the 256 thresholds of the image-averaged F-measure curve
 * @param iou mean per-image IoU of the prediction binarized at {@code > 0.5} (PySODMetrics'
 *     sample-based binary IoU, {@code sample_biiou})
 * @param images number of images averaged
 */
public record SodResults(
    double sMeasure,
    double wFmeasure,
    double mae,
    double adpEm,
    double meanEm,
    double maxEm,
    double adpFm,
    double meanFm,
    double maxFm,
    double iou,
    int images) {

  /** The figures under PySODMetrics' key names, in a fixed order. */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("Smeasure", sMeasure);
    m.put("wFmeasure", wFmeasure);
    m.put("MAE", mae);
    m.put("adpEm", adpEm);
    m.put("meanEm", meanEm);
    m.put("maxEm", maxEm);
    m.put("adpFm", adpFm);
    m.put("meanFm", meanFm);
    m.put("maxFm", maxFm);
    m.put("IoU", iou);
    return m;
  }

  /** One JSON object with the ten keys; numbers printed with full double precision. */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Double> e : asMap().entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append('"').append(e.getKey()).append("\": ").append(jsonNumber(e.getValue()));
    }
    return sb.append('}').toString();
  }

  static String jsonNumber(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "null";
    }
    return Double.toString(v);
  }
}
