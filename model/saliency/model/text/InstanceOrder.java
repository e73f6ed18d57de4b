package saliency.model.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.geometry.MaskPolygons;
import saliency.model.geometry.Polygon;

/**
 * The fixed order in which SIS (salient instance) targets list their ground-truth instances: by pixel area, largest
 * first; equal areas by their first pixel in raster order (the topmost row, then the leftmost pixel); stateless.
 *
 * <p>Why a fixed order: SFT's cross-entropy scores one token sequence, so a target must be a function of the masks
 * alone, not of the order a file or generator happens to list them in. Why largest first: the largest instance is
 * usually the most salient and the easiest to outline, so the first {@code <ins>} a policy learns to write is its
 * surest one, which suits answers ranked by their order (as {@code score} ranks instances, the text interface having
 * no per-instance confidence); and when a target is too long {@link SftTargets} drops its last instances, so it keeps
 * the largest ones, a prefix in the same order. It is also the order {@link MaskPolygons#polygons} gives the components of one mask.
 */
public final class InstanceOrder {
  private InstanceOrder() {}

  /** The non-empty instances in target order (see the class comment). */
  public static List<Mask> sorted(List<Mask> instances) {
    Objects.requireNonNull(instances, "instances");
    record Keyed(Mask mask, int area, int first) {}
    List<Keyed> keyed = new ArrayList<>(instances.size());
    for (Mask m : instances) {
      int area = m.count();
      if (area > 0) {
        keyed.add(new Keyed(m, area, firstPixel(m)));
      }
    }
    keyed.sort(Comparator.comparingInt((Keyed k) -> -k.area()).thenComparingInt(Keyed::first));
    return keyed.stream().map(Keyed::mask).toList();
  }

  /**
   * The instance answer for ground-truth instances: one {@code <ins>} polygon per instance in target order, the
   * outline of each instance's largest 8-connected component ({@link MaskPolygons#largest}); an instance whose
   * components are all under {@code options.minArea()} is left out.
   */
  public static Answer.Instances answer(List<Mask> instances, MaskPolygons.Options options) {
    Objects.requireNonNull(options, "options");
    List<Polygon> polygons = new ArrayList<>();
    for (Mask m : sorted(instances)) {
      MaskPolygons.largest(m, options).ifPresent(polygons::add);
    }
    return new Answer.Instances(polygons);
  }

  private static int firstPixel(Mask m) {
    boolean[] bits = m.bits();
    for (int i = 0; i < bits.length; i++) {
      if (bits[i]) {
        return i;
      }
    }
    return bits.length;
  }
}
