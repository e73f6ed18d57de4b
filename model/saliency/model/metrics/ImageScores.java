package saliency.model.metrics;

/**
 * Per-image figures of one prediction/ground-truth pair (PySODMetrics' per-image values before
 * averaging); plain immutable data.
 *
 * @param sMeasure S-measure, alpha 0.5
 * @param wFmeasure weighted F-measure, beta 1 (0 for an empty ground truth)
 * @param mae mean absolute error
 * @param adpEm E-measure at the adaptive threshold
 * @param adpFm F-measure at the adaptive threshold
 * @param iou IoU of the prediction binarized at {@code > 0.5} (0 when both are empty, as in
 *     PySODMetrics)
 */
public record ImageScores(
    double sMeasure, double wFmeasure, double mae, double adpEm, double adpFm, double iou) {}
