package saliency.model.train;

import java.util.Objects;
import saliency.model.data.LabelledImage;
import saliency.model.geometry.Mask;

/**
 * One example made ready for the policy: the original labelled image, its model-resolution input and mask, and its SFT
 * target tokens (null when none could be built); immutable by convention (arrays are not copied).
 *
 * @param original the image and ground truth at their original size (metrics are taken there)
 * @param input the stretched model input, {@code (S, S, 3)} floats in [0,1]
 * @param modelMask the ground truth resized to {@code S x S} (rewards are taken there)
 * @param target SFT target ids ending with {@code <end>}, or null
 * @param segmenterInput with {@code prompt} answers, the image's 28x28x288 MobileNetV2 map (the promptable segmenter
 *     reads it with {@code input}, the 14x14x816 map); null otherwise
 */
public record Prepared(LabelledImage original, float[] input, Mask modelMask, int[] target, float[] segmenterInput) {
  /** An example without segmenter features (polygon answers). */
  public Prepared(LabelledImage original, float[] input, Mask modelMask, int[] target) {
    this(original, input, modelMask, target, null);
  }

  public Prepared {
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(modelMask, "modelMask");
  }
}
