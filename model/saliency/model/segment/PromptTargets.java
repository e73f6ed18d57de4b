package saliency.model.segment;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import saliency.model.geometry.Mask;
import saliency.model.text.Answer;

/**
 * Prompts drawn from a ground-truth mask: the SFT target of the policy (the mask's bounding box and one positive point
 * at its most interior pixel) and the jittered prompts the promptable segmenter trains on; stateless.
 */
public final class PromptTargets {
  private PromptTargets() {}

  /**
   * The policy's SFT target for {@code mask}: its bounding box ({@code [x1,y1,x2,y2]}, normalized, pixel edges) and one
   * positive point at the pixel farthest from the background (chamfer distance); null for an empty mask.
   */
  public static Answer.Prompt target(Mask mask) {
    Objects.requireNonNull(mask, "mask");
    double[] box = box(mask);
    if (box == null) {
      return null;
    }
    int[] inner = innermost(mask);
    double px = (inner[0] + 0.5) / mask.width();
    double py = (inner[1] + 0.5) / mask.height();
    return new Answer.Prompt(box, List.of(new double[] {px, py}), new int[] {1});
  }

  /** The normalized bounding box of the set pixels, or null when none is set. */
  public static double[] box(Mask mask) {
    int w = mask.width();
    int h = mask.height();
    int x0 = w;
    int y0 = h;
    int x1 = -1;
    int y1 = -1;
    boolean[] b = mask.bits();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (b[y * w + x]) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    if (x1 < 0) {
      return null;
    }
    return new double[] {x0 / (double) w, y0 / (double) h, (x1 + 1) / (double) w, (y1 + 1) / (double) h};
  }

  /** The set pixel with the largest 3-4 chamfer distance to an unset pixel or the border ({x, y}). */
  static int[] innermost(Mask mask) {
    int w = mask.width();
    int h = mask.height();
    boolean[] b = mask.bits();
    int[] d = new int[w * h];
    int inf = Integer.MAX_VALUE / 4;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (!b[i]) {
          d[i] = 0;
          continue;
        }
        int v = inf;
        v = Math.min(v, x > 0 ? d[i - 1] + 3 : 3);
        v = Math.min(v, y > 0 ? d[i - w] + 3 : 3);
        v = Math.min(v, x > 0 && y > 0 ? d[i - w - 1] + 4 : 4);
        v = Math.min(v, x < w - 1 && y > 0 ? d[i - w + 1] + 4 : 4);
        d[i] = v;
      }
    }
    int best = -1;
    int bx = 0;
    int by = 0;
    for (int y = h - 1; y >= 0; y--) {
      for (int x = w - 1; x >= 0; x--) {
        int i = y * w + x;
        if (d[i] == 0) {
          continue;
        }
        int v = d[i];
        v = Math.min(v, x < w - 1 ? d[i + 1] + 3 : 3);
        v = Math.min(v, y < h - 1 ? d[i + w] + 3 : 3);
        v = Math.min(v, x < w - 1 && y < h - 1 ? d[i + w + 1] + 4 : 4);
        v = Math.min(v, x > 0 && y < h - 1 ? d[i + w - 1] + 4 : 4);
        d[i] = v;
        if (v >= best) {
          best = v;
          bx = x;
          by = y;
        }
      }
    }
    return new int[] {bx, by};
  }

  /**
   * A training prompt for the segmenter: with probability {@code unprompted} the whole image as box and no point (so
   * the decoder also works as a plain saliency readout); otherwise the mask's box with each edge moved by up to
   * {@code jitter} of the box side, one positive point on a random set pixel and, half the time, one negative point on
   * a random unset pixel inside the box. Null for an empty mask.
   */
  public static Answer.Prompt jittered(Mask mask, Random rnd, double jitter, double unprompted) {
    double[] box = box(mask);
    if (box == null) {
      return null;
    }
    if (rnd.nextDouble() < unprompted) {
      return new Answer.Prompt(new double[] {0, 0, 1, 1}, List.of(), new int[0]);
    }
    double bw = box[2] - box[0];
    double bh = box[3] - box[1];
    double[] j = {
      clamp(box[0] + (rnd.nextDouble() * 2 - 1) * jitter * bw),
      clamp(box[1] + (rnd.nextDouble() * 2 - 1) * jitter * bh),
      clamp(box[2] + (rnd.nextDouble() * 2 - 1) * jitter * bw),
      clamp(box[3] + (rnd.nextDouble() * 2 - 1) * jitter * bh)
    };
    if (!(j[0] < j[2] && j[1] < j[3])) {
      j = box;
    }
    int w = mask.width();
    int h = mask.height();
    boolean[] b = mask.bits();
    int[] pos = randomPixel(b, w, h, true, null, rnd);
    int[] neg = rnd.nextBoolean() ? randomPixel(b, w, h, false, box, rnd) : null;
    if (neg == null) {
      return new Answer.Prompt(j, List.of(norm(pos, w, h)), new int[] {1});
    }
    return new Answer.Prompt(j, List.of(norm(pos, w, h), norm(neg, w, h)), new int[] {1, 0});
  }

  private static double[] norm(int[] p, int w, int h) {
    return new double[] {(p[0] + 0.5) / w, (p[1] + 0.5) / h};
  }

  private static int[] randomPixel(boolean[] b, int w, int h, boolean set, double[] box, Random rnd) {
    int x0 = box == null ? 0 : (int) Math.floor(box[0] * w);
    int y0 = box == null ? 0 : (int) Math.floor(box[1] * h);
    int x1 = box == null ? w : (int) Math.ceil(box[2] * w);
    int y1 = box == null ? h : (int) Math.ceil(box[3] * h);
    int count = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        count += b[y * w + x] == set ? 1 : 0;
      }
    }
    if (count == 0) {
      return null;
    }
    int k = rnd.nextInt(count);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        if (b[y * w + x] == set && k-- == 0) {
          return new int[] {x, y};
        }
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
