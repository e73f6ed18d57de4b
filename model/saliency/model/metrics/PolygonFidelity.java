package saliency.model.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.geometry.MaskPolygons;
import saliency.model.geometry.Polygon;
import saliency.model.geometry.PolygonRasterizer;
import saliency.model.image.MaskPng;

/**
 * How well polygons from {@link MaskPolygons} reproduce their masks: IoU and S-measure of the rasterized union against
 * the mask, over a set of masks (the ceiling of an answer form); stateless.
 */
public final class PolygonFidelity {
  private PolygonFidelity() {}

  /**
   * IoU distribution over a set of masks (percentiles by linear interpolation between order statistics)
   * and the mean vertex and polygon counts per mask.
   */
  public record Summary(
      int masks,
      double min,
      double p5,
      double p25,
      double median,
      double mean,
      double max,
      double meanVertices,
      double meanPolygons,
      double sMeasure) {

    /** One line: {@code n=.. iou min .. p5 .. p25 .. median .. mean .. max .. | vertices/mask .. polygons/mask ..}. */
    public String format() {
      return String.format(
          Locale.ROOT,
          "n=%d iou min %.4f p5 %.4f p25 %.4f median %.4f mean %.4f max %.4f | S-measure %.4f | vertices/mask %.1f"
              + " polygons/mask %.2f",
          masks, min, p5, p25, median, mean, max, sMeasure, meanVertices, meanPolygons);
    }
  }

  /** IoU of {@code rasterizeUnion(polygons(mask, options))} against {@code mask}. */
  public static double iou(Mask mask, MaskPolygons.Options options) {
    List<Polygon> ps = MaskPolygons.polygons(mask, options);
    return PolygonRasterizer.rasterizeUnion(ps, mask.width(), mask.height()).iou(mask);
  }

  /** The summary over {@code masks} (at least one). */
  public static Summary measure(List<Mask> masks, MaskPolygons.Options options) {
    Objects.requireNonNull(masks, "masks");
    Objects.requireNonNull(options, "options");
    if (masks.isEmpty()) {
      throw new IllegalArgumentException("no masks to measure");
    }
    double[] ious = new double[masks.size()];
    saliency.model.metrics.SodMetrics sm = new saliency.model.metrics.SodMetrics();
    long vertices = 0;
    long polygons = 0;
    for (int i = 0; i < ious.length; i++) {
      Mask m = masks.get(i);
      List<Polygon> ps = MaskPolygons.polygons(m, options);
      for (Polygon p : ps) {
        vertices += p.size();
      }
      polygons += ps.size();
      Mask r = PolygonRasterizer.rasterizeUnion(ps, m.width(), m.height());
      ious[i] = r.iou(m);
      double[] map = new double[m.width() * m.height()];
      boolean[] bits = r.bits();
      for (int k = 0; k < map.length; k++) {
        map[k] = bits[k] ? 255 : 0;
      }
      sm.add(map, m.bits(), m.width(), m.height());
    }
    double[] sorted = ious.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (double v : ious) {
      sum += v;
    }
    int n = ious.length;
    return new Summary(
        n,
        sorted[0],
        percentile(sorted, 5),
        percentile(sorted, 25),
        percentile(sorted, 50),
        sum / n,
        sorted[n - 1],
        (double) vertices / n,
        (double) polygons / n,
        sm.results().sMeasure());
  }

  /**
   * Reads every {@code .png} mask in {@code masksDir} (8-bit or 1-bit, on where > 127) once and returns one
   * summary per options entry, in order.
   */
  public static List<Summary> measureDirectory(Path masksDir, List<MaskPolygons.Options> options)
      throws IOException {
    Objects.requireNonNull(masksDir, "masksDir");
    List<Mask> masks = new ArrayList<>();
    for (Path p : MaskPng.list(masksDir)) {
      masks.add(MaskPng.read(p));
    }
    if (masks.isEmpty()) {
      throw new IOException("no .png masks in " + masksDir);
    }
    List<Summary> out = new ArrayList<>();
    for (MaskPolygons.Options o : options) {
      out.add(measure(masks, o));
    }
    return out;
  }

  /** Linear interpolation between order statistics of an ascending array (numpy's default). */
  static double percentile(double[] sorted, double q) {
    double pos = q / 100.0 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
