package saliency.model.train;

import java.util.Locale;

/**
 * Held-out figures of a policy; immutable.
 *
 * @param greedyIoU mean IoU of the greedy (temperature 0) mask at original size
 * @param sampledIoU mean IoU of temperature-1 sampled masks
 * @param sMeasure S-measure of the mean of the K sampled masks (a soft map)
 * @param mae MAE of that map
 * @param maxF max F-measure of that map
 * @param formatRate share of greedy completions that parse with valid polygons
 * @param meanVertices mean vertex count of greedy answers
 * @param images held-out images evaluated
 */
public record EvalResult(
    double greedyIoU, double sampledIoU, double sMeasure, double mae, double maxF, double formatRate,
    double meanVertices, int images) {

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "greedy IoU %.4f, sampled IoU %.4f, S-measure %.4f, MAE %.4f, max-F %.4f, format %.3f, vertices %.1f (%d images)",
        greedyIoU, sampledIoU, sMeasure, mae, maxF, formatRate, meanVertices, images);
  }
}
