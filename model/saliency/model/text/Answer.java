package saliency.model.text;

import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Polygon;

/** A structured policy answer (DESIGN §3); immutable. */
public sealed interface Answer {

  /** {@code <rg>…</rg>} polygons, unioned into one region mask. */
  record Region(List<Polygon> polygons) implements Answer {
    public Region {
      polygons = List.copyOf(Objects.requireNonNull(polygons, "polygons"));
    }
  }

  /** One {@code <ins>…</ins>} polygon per instance. */
  record Instances(List<Polygon> instances) implements Answer {
    public Instances {
      instances = List.copyOf(Objects.requireNonNull(instances, "instances"));
    }
  }

  /**
   * Seg-R1 prompt answer: a box {@code [x1,y1,x2,y2]}, points and their labels (1 foreground, 0 background), all normalized.
   */
  record Prompt(double[] box, List<double[]> points, int[] labels) implements Answer {
    public Prompt {
      Objects.requireNonNull(box, "box");
      Objects.requireNonNull(points, "points");
      Objects.requireNonNull(labels, "labels");
      if (box.length != 4) {
        throw new IllegalArgumentException("box needs 4 values, got " + box.length);
      }
      if (points.size() != labels.length) {
        throw new IllegalArgumentException(
            "points (" + points.size() + ") and labels (" + labels.length + ") differ in count");
      }
      box = box.clone();
      points = points.stream().map(double[]::clone).toList();
      labels = labels.clone();
    }
  }
}
