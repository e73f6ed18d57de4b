package saliency.model.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Polygon;
import saliency.model.geometry.PolygonChecks;

/**
 * Builds supervised (SFT) target token sequences from ground-truth answers within a vertex and length budget; immutable,
 * it holds its tokenizer and limits.
 *
 * <p>Per polygon: a polygon with more than {@code maxVertices} vertices is thinned to {@code maxVertices} by uniform
 * index sampling; vertices are snapped to bin centres and consecutive repeats (cyclically) removed; the result must
 * pass {@link PolygonChecks#isValid} or the polygon is dropped. If the sequence is longer than {@code maxLen} tokens
 * ({@code <end>} included, the task token not), the smallest-area polygons of a region answer, or the last instances
 * of an instance answer (listed in {@link InstanceOrder}, largest first), are dropped until it fits (prompt answers
 * drop trailing points instead). Every change is counted in the result.
 */
public final class SftTargets {
  private final Tokenizer tokenizer;
  private final int maxVertices;
  private final int maxLen;

  /**
   * @param maxVertices most vertices per polygon (at least 3)
   * @param maxLen most tokens per target sequence, {@code <end>} included (at least 9: one triangle)
   */
  public SftTargets(Tokenizer tokenizer, int maxVertices, int maxLen) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    if (maxVertices < 3) {
      throw new IllegalArgumentException("maxVertices must be at least 3, got " + maxVertices);
    }
    if (maxLen < Tokenizer.polygonLength(3) + 1) {
      throw new IllegalArgumentException("maxLen must be at least " + (Tokenizer.polygonLength(3) + 1) + ", got " + maxLen);
    }
    this.maxVertices = maxVertices;
    this.maxLen = maxLen;
  }

  /** Outcome of building one target. */
  public sealed interface Target {}

  /**
   * A usable target: {@code ids} (ending with {@code <end>}, at most maxLen), the answer they decode to (bin centres),
   * and how many polygons were thinned, dropped as invalid after snapping, or dropped for length; for prompt answers,
   * {@code droppedForLength} counts points.
   */
  public record Built(int[] ids, Answer answer, int thinned, int droppedInvalid, int droppedForLength)
      implements Target {
    public Built {
      ids = Objects.requireNonNull(ids, "ids").clone();
      Objects.requireNonNull(answer, "answer");
    }

    @Override
    public int[] ids() {
      return ids.clone();
    }
  }

  /** No usable target (every polygon invalid, or the prompt box itself invalid); the sample should be counted. */
  public record Skipped(String reason) implements Target {
    public Skipped {
      Objects.requireNonNull(reason, "reason");
    }
  }

  public Target build(Answer answer) {
    Objects.requireNonNull(answer, "answer");
    if (answer instanceof Answer.Prompt p) {
      return prompt(p);
    }
    boolean region = answer instanceof Answer.Region;
    List<Polygon> in = ParseResult.polygonsOf(answer);
    int thinned = 0;
    int invalid = 0;
    List<Polygon> kept = new ArrayList<>();
    for (Polygon p : in) {
      Polygon q = p;
      if (q.size() > maxVertices) {
        q = thin(q, maxVertices);
        thinned++;
      }
      q = snap(q);
      if (q.size() < 3 || !PolygonChecks.isValid(q)) {
        invalid++;
      } else {
        kept.add(q);
      }
    }
    if (kept.isEmpty()) {
      return new Skipped(
          in.isEmpty() ? "answer has no polygons" : "all " + in.size() + " polygons invalid after snapping to bins");
    }
    int dropped = 0;
    int len = 1;
    for (Polygon q : kept) {
      len += Tokenizer.polygonLength(q.size());
    }
    if (len > maxLen) {
      Integer[] order = new Integer[kept.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      List<Polygon> k = kept;
      if (region) {
        Arrays.sort(order, Comparator.comparingDouble(i -> Math.abs(k.get(i).signedArea2())));
      } else {
        Arrays.sort(order, Comparator.reverseOrder());
      }
      boolean[] drop = new boolean[kept.size()];
      for (int j = 0; j < order.length - 1 && len > maxLen; j++) {
        drop[order[j]] = true;
        len -= Tokenizer.polygonLength(kept.get(order[j]).size());
        dropped++;
      }
      List<Polygon> fit = new ArrayList<>();
      for (int i = 0; i < kept.size(); i++) {
        if (!drop[i]) {
          fit.add(kept.get(i));
        }
      }
      kept = fit;
      // one polygon of at most maxVertices vertices may still exceed maxLen: thin it further
      if (len > maxLen) {
        int room = (maxLen - 1 - 2) / 2;
        Polygon q = snap(thin(kept.get(0), room));
        thinned++;
        if (q.size() < 3 || !PolygonChecks.isValid(q)) {
          return new Skipped("largest polygon invalid after thinning to " + room + " vertices for maxLen " + maxLen);
        }
        kept = List.of(q);
      }
    }
    Answer out = region ? new Answer.Region(kept) : new Answer.Instances(kept);
    return new Built(tokenizer.encode(out), out, thinned, invalid, dropped);
  }

  private Target prompt(Answer.Prompt p) {
    Vocabulary v = tokenizer.vocabulary();
    double[] box = p.box();
    for (int i = 0; i < 4; i++) {
      box[i] = v.binToCoord(v.coordToBin(box[i]));
    }
    if (!(box[0] < box[2] && box[1] < box[3])) {
      return new Skipped("prompt box empty after snapping to bins: " + Arrays.toString(box));
    }
    int fixed = 1 + 6 + 2 + 2;
    int room = Math.max(0, (maxLen - fixed) / 3);
    List<double[]> pts = new ArrayList<>();
    List<double[]> src = p.points();
    int[] labels = p.labels();
    int n = Math.min(room, src.size());
    for (int i = 0; i < n; i++) {
      pts.add(new double[] {v.binToCoord(v.coordToBin(src.get(i)[0])), v.binToCoord(v.coordToBin(src.get(i)[1]))});
    }
    Answer.Prompt out = new Answer.Prompt(box, pts, Arrays.copyOf(labels, n));
    return new Built(tokenizer.encode(out), out, 0, 0, src.size() - n);
  }

  /** {@code m} vertices at indices {@code floor(k*n/m)}, keeping order. */
  static Polygon thin(Polygon p, int m) {
    int n = p.size();
    if (n <= m) {
      return p;
    }
    double[] xs = new double[m];
    double[] ys = new double[m];
    for (int k = 0; k < m; k++) {
      int i = (int) ((long) k * n / m);
      xs[k] = p.x(i);
      ys[k] = p.y(i);
    }
    return new Polygon(xs, ys);
  }

  /** Vertices moved to bin centres; consecutive repeats (and a last vertex equal to the first) removed. */
  private Polygon snap(Polygon p) {
    Vocabulary v = tokenizer.vocabulary();
    int n = p.size();
    int[] bx = new int[n];
    int[] by = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      int x = v.coordToBin(p.x(i));
      int y = v.coordToBin(p.y(i));
      if (m > 0 && bx[m - 1] == x && by[m - 1] == y) {
        continue;
      }
      bx[m] = x;
      by[m] = y;
      m++;
    }
    while (m > 1 && bx[m - 1] == bx[0] && by[m - 1] == by[0]) {
      m--;
    }
    double[] xs = new double[m];
    double[] ys = new double[m];
    for (int i = 0; i < m; i++) {
      xs[i] = v.binToCoord(bx[i]);
      ys[i] = v.binToCoord(by[i]);
    }
    return new Polygon(xs, ys);
  }
}
