package saliency.model.data;

import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;

/**
 * One training or evaluation example: an image, its salient-object mask and (possibly empty) per-instance masks; immutable.
 *
 * @param name a stable identifier (file stem, or {@code synthetic-SEED-INDEX})
 * @param image the image
 * @param mask the salient-region ground truth, same size as the image
 * @param instances per-instance ground truth masks (empty when unknown)
 */
public record LabelledImage(String name, RgbImage image, Mask mask, List<Mask> instances) {
  public LabelledImage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(mask, "mask");
    instances = List.copyOf(Objects.requireNonNull(instances, "instances"));
    if (mask.width() != image.width() || mask.height() != image.height()) {
      throw new IllegalArgumentException(
          name + ": mask " + mask.width() + "x" + mask.height() + " does not match image "
              + image.width() + "x" + image.height());
    }
  }

  public LabelledImage(String name, RgbImage image, Mask mask) {
    this(name, image, mask, List.of());
  }
}
