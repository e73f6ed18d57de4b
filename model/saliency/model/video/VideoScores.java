package saliency.model.video;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import saliency.model.geometry.Mask;
import saliency.model.metrics.SodMetrics;
import saliency.model.metrics.SodResults;

/**
 * Running salient-object figures of the served frames against their labels, accumulated as {@code eval} does (the map
 * scaled to 0..255 and added to {@link SodMetrics}); frames without a label are counted, not scored. Thread-safe.
 */
public final class VideoScores {
  private final FrameLabels labels;
  private final SodMetrics metrics = new SodMetrics();
  private long unlabelled;

  public VideoScores(FrameLabels labels) {
    this.labels = Objects.requireNonNull(labels, "labels");
  }

  /** Scores {@code map} (values in [0,1], the frame's size) against the frame's label, if it has one. */
  public void add(VideoFrame frame, double[] map) {
    Objects.requireNonNull(map, "map");
    Optional<Mask> gt = labels.label(frame);
    if (gt.isEmpty()) {
      synchronized (this) {
        unlabelled++;
      }
      return;
    }
    double[] scaled = new double[map.length];
    for (int i = 0; i < map.length; i++) {
      scaled[i] = Math.rint(Math.max(0, Math.min(1, map[i])) * 255);
    }
    var e = SodMetrics.evaluate(scaled, gt.get().bits(), frame.width(), frame.height());
    synchronized (this) {
      metrics.add(e);
    }
  }

  /** The figures over the labelled frames so far (NaN when none). */
  public synchronized SodResults results() {
    return metrics.results();
  }

  /** Frames served without a usable label (missing, unreadable or of another size). */
  public synchronized long unlabelled() {
    return unlabelled;
  }

  /** One line of the figures so far. */
  public synchronized String line() {
    SodResults r = metrics.results();
    return String.format(Locale.ROOT, "S-measure %.4f, MAE %.4f, IoU %.4f, max-F %.4f over %d labelled frames "
        + "(%d unlabelled; labels %s)", r.sMeasure(), r.mae(), r.iou(), r.maxFm(), r.images(), unlabelled,
        labels.describe());
  }
}
