package saliency.model.text;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import saliency.model.geometry.Polygon;

/**
 * Writes an {@link Answer} in the text form of DESIGN §3 (coordinates with exactly 3 decimals, {@link Locale#ROOT});
 * stateless.
 *
 * <p>Region: {@code <rg>[[0.125,0.500],[0.250,0.500],...]</rg>} per polygon; instances: {@code <ins>[[x,y],...]</ins>}
 * per instance; prompt: {@code <bbox>[x1,y1,x2,y2]</bbox><points>[[x,y],...]</points><labels>[1,0]</labels>}. No
 * whitespace is written. {@link AnswerParser} reads the output back.
 */
public final class AnswerRenderer {
  private AnswerRenderer() {}

  /** The text form of an answer. */
  public static String render(Answer answer) {
    Objects.requireNonNull(answer, "answer");
    StringBuilder sb = new StringBuilder(256);
    if (answer instanceof Answer.Region r) {
      polygons(sb, r.polygons(), "<rg>", "</rg>");
    } else if (answer instanceof Answer.Instances in) {
      polygons(sb, in.instances(), "<ins>", "</ins>");
    } else if (answer instanceof Answer.Prompt p) {
      double[] b = p.box();
      sb.append("<bbox>[");
      for (int i = 0; i < 4; i++) {
        if (i > 0) {
          sb.append(',');
        }
        coord(sb, b[i]);
      }
      sb.append("]</bbox><points>[");
      List<double[]> pts = p.points();
      for (int i = 0; i < pts.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        double[] pt = pts.get(i);
        if (pt.length != 2) {
          throw new IllegalArgumentException("prompt point " + i + " has " + pt.length + " values, expected 2");
        }
        point(sb, pt[0], pt[1]);
      }
      sb.append("]</points><labels>[");
      int[] labels = p.labels();
      for (int i = 0; i < labels.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(labels[i]);
      }
      sb.append("]</labels>");
    } else {
      throw new IllegalArgumentException("unknown answer type " + answer.getClass().getName());
    }
    return sb.toString();
  }

  /** A coordinate with exactly 3 decimals, e.g. {@code 0.125}; negative zero is written as {@code 0.000}. */
  public static String formatCoord(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("coordinate is not finite: " + v);
    }
    String s = String.format(Locale.ROOT, "%.3f", v);
    return s.equals("-0.000") ? "0.000" : s;
  }

  private static void polygons(StringBuilder sb, List<Polygon> polys, String open, String close) {
    for (Polygon p : polys) {
      sb.append(open).append('[');
      for (int i = 0; i < p.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        point(sb, p.x(i), p.y(i));
      }
      sb.append(']').append(close);
    }
  }

  private static void point(StringBuilder sb, double x, double y) {
    sb.append('[');
    coord(sb, x);
    sb.append(',');
    coord(sb, y);
    sb.append(']');
  }

  private static void coord(StringBuilder sb, double v) {
    sb.append(formatCoord(v));
  }
}
