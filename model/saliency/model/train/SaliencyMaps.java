package saliency.model.train;

import java.nio.file.Path;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.image.ImageIo;
import saliency.model.metrics.SodMetrics;
import saliency.model.metrics.SodResults;

/**
 * Collects saliency maps of an evaluation: quantizes each to 8 bits, optionally writes it as {@code STEM.png}, and
 * accumulates the PySODMetrics figures on exactly the written levels; owns its metric accumulator (not thread-safe).
 */
public final class SaliencyMaps {
  private final Path outDir;
  private final SodMetrics metrics = new SodMetrics();

  /** @param outDir folder for the PNG maps, or null to only measure */
  public SaliencyMaps(Path outDir) {
    this.outDir = outDir;
  }

  /** Adds the map ({@code W x H} values in [0,1]) of the image {@code name} with ground truth {@code gt}. */
  public void add(String name, double[] map, Mask gt) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(gt, "gt");
    if (map.length != gt.width() * gt.height()) {
      throw new IllegalArgumentException(name + ": map has " + map.length + " values for a " + gt.width() + "x"
          + gt.height() + " ground truth");
    }
    byte[] levels = new byte[map.length];
    double[] pred = new double[map.length];
    for (int i = 0; i < map.length; i++) {
      double v = map[i];
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException(name + ": map value at index " + i + " is NaN");
      }
      int level = (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
      levels[i] = (byte) level;
      pred[i] = level;
    }
    if (outDir != null) {
      ImageIo.writeGray8(outDir.resolve(name + ".png"), levels, gt.width(), gt.height());
    }
    metrics.add(pred, gt.bits(), gt.width(), gt.height());
  }

  public int count() {
    return metrics.count();
  }

  public SodResults results() {
    return metrics.results();
  }
}
