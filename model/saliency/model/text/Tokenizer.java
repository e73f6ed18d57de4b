package saliency.model.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Polygon;

/**
 * Converts answers to token ids of a {@link Vocabulary} and back (DESIGN §3); immutable, it holds only its vocabulary.
 *
 * <p>Layout (the task prompt token is not part of it; the sequence always ends with {@code <end>}):
 *
 * <ul>
 *   <li>Region: per polygon {@code <rg> x y x y … </rg>}, then {@code <end>}.
 *   <li>Instances: per instance {@code <ins> x y … </ins>}, then {@code <end>}.
 *   <li>Prompt: {@code <bbox> x1 y1 x2 y2 </bbox> <points> x y … </points> <labels> 0|1 … </labels> <end>}.
 * </ul>
 *
 * Coordinates become bin tokens ({@link Vocabulary#coordToId}), decoded as bin centres.
 */
public final class Tokenizer {
  private final Vocabulary vocab;

  public Tokenizer(Vocabulary vocab) {
    this.vocab = Objects.requireNonNull(vocab, "vocab");
  }

  public Vocabulary vocabulary() {
    return vocab;
  }

  /**
   * Token ids of an answer, ending with {@code <end>}; coordinates are clamped to [0,1] by binning. Rejects NaN
   * coordinates, labels other than 0/1 and prompt points that are not pairs.
   */
  public int[] encode(Answer answer) {
    Objects.requireNonNull(answer, "answer");
    IntList out = new IntList(length(answer));
    if (answer instanceof Answer.Region r) {
      polygons(out, r.polygons(), Vocabulary.RG_OPEN, Vocabulary.RG_CLOSE);
    } else if (answer instanceof Answer.Instances in) {
      polygons(out, in.instances(), Vocabulary.INS_OPEN, Vocabulary.INS_CLOSE);
    } else if (answer instanceof Answer.Prompt p) {
      out.add(Vocabulary.BBOX_OPEN);
      for (double v : p.box()) {
        out.add(vocab.coordToId(v));
      }
      out.add(Vocabulary.BBOX_CLOSE);
      out.add(Vocabulary.POINTS_OPEN);
      List<double[]> pts = p.points();
      for (int i = 0; i < pts.size(); i++) {
        double[] pt = pts.get(i);
        if (pt.length != 2) {
          throw new IllegalArgumentException("prompt point " + i + " has " + pt.length + " values, expected 2");
        }
        out.add(vocab.coordToId(pt[0]));
        out.add(vocab.coordToId(pt[1]));
      }
      out.add(Vocabulary.POINTS_CLOSE);
      out.add(Vocabulary.LABELS_OPEN);
      int[] labels = p.labels();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] != 0 && labels[i] != 1) {
          throw new IllegalArgumentException("prompt label " + i + " is " + labels[i] + ", expected 0 or 1");
        }
        out.add(labels[i] == 0 ? Vocabulary.LABEL_0 : Vocabulary.LABEL_1);
      }
      out.add(Vocabulary.LABELS_CLOSE);
    } else {
      throw new IllegalArgumentException("unknown answer type " + answer.getClass().getName());
    }
    out.add(Vocabulary.END);
    return out.toArray();
  }

  /** The number of tokens {@link #encode} produces for an answer, {@code <end>} included. */
  public static int length(Answer answer) {
    Objects.requireNonNull(answer, "answer");
    int len = 1;
    if (answer instanceof Answer.Prompt p) {
      return len + 6 + 2 + 2 * p.points().size() + 2 + p.labels().length;
    }
    for (Polygon poly : ParseResult.polygonsOf(answer)) {
      len += 2 + 2 * poly.size();
    }
    return len;
  }

  /** Token count of one polygon in a region or instance answer: open tag, 2 per vertex, close tag. */
  public static int polygonLength(int vertices) {
    return 2 + 2 * vertices;
  }

  /**
   * Reads token ids back into an answer; never throws. Reading stops at the first {@code <end>}; ids after it are
   * ignored (a fixed-length generation buffer). Failures (typed, with the token index): no {@code <end>} (truncated
   * generation), empty answer, a token out of place or outside the vocabulary, an odd number of coordinate tokens, a
   * polygon with fewer than 3 vertices, a box without exactly 4 coordinates, labels not matching points in count.
   * Coordinates are bin centres; polygon validity is left to {@link ParseResult#formatOk()}.
   */
  public ParseResult decode(int[] ids) {
    if (ids == null) {
      return new ParseResult.Failed("no token ids (null)", 0);
    }
    try {
      return new ParseResult.Parsed(new Decoder(ids).answer());
    } catch (Fail f) {
      return new ParseResult.Failed(f.getMessage(), f.position);
    } catch (RuntimeException e) {
      return new ParseResult.Failed("internal decoder error: " + e, 0);
    }
  }

  private void polygons(IntList out, List<Polygon> polys, int open, int close) {
    for (Polygon p : polys) {
      out.add(open);
      for (int i = 0; i < p.size(); i++) {
        out.add(vocab.coordToId(p.x(i)));
        out.add(vocab.coordToId(p.y(i)));
      }
      out.add(close);
    }
  }

  private static final class Fail extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int position;

    Fail(String message, int position) {
      super(message, null, false, false);
      this.position = position;
    }
  }

  private final class Decoder {
    final int[] ids;
    int pos;

    Decoder(int[] ids) {
      this.ids = ids;
    }

    Answer answer() {
      if (ids.length == 0) {
        throw new Fail("truncated: empty token sequence, no <end>", 0);
      }
      int first = ids[0];
      if (first == Vocabulary.RG_OPEN) {
        return new Answer.Region(polygons(Vocabulary.RG_OPEN, Vocabulary.RG_CLOSE, Vocabulary.INS_OPEN));
      }
      if (first == Vocabulary.INS_OPEN) {
        return new Answer.Instances(polygons(Vocabulary.INS_OPEN, Vocabulary.INS_CLOSE, Vocabulary.RG_OPEN));
      }
      if (first == Vocabulary.BBOX_OPEN) {
        return prompt();
      }
      if (first == Vocabulary.END) {
        throw new Fail("empty answer: <end> before any <rg>, <ins> or <bbox>", 0);
      }
      throw new Fail("answer starts with " + text(0) + ", expected <rg>, <ins> or <bbox>", 0);
    }

    List<Polygon> polygons(int open, int close, int otherOpen) {
      List<Polygon> out = new ArrayList<>();
      while (true) {
        int t = next("after " + vocab.tokenText(close));
        if (t == Vocabulary.END) {
          return out;
        }
        if (t == open) {
          out.add(polygon(open, close));
        } else if (t == otherOpen) {
          throw new Fail("answer mixes <rg> and <ins>", pos - 1);
        } else {
          throw new Fail(
              "unexpected token " + text(pos - 1) + " between polygons, expected " + vocab.tokenText(open)
                  + " or <end>",
              pos - 1);
        }
      }
    }

    /** Reads after the open tag up to and including the close tag. */
    Polygon polygon(int open, int close) {
      int start = pos - 1;
      double[] coords = coords(vocab.tokenText(open));
      expect(close, vocab.tokenText(open));
      if (coords.length % 2 != 0) {
        throw new Fail(
            "odd number of coordinate tokens (" + coords.length + ") in " + vocab.tokenText(open), start);
      }
      int nv = coords.length / 2;
      if (nv < 3) {
        throw new Fail(vocab.tokenText(open) + " polygon has " + nv + " vertices; at least 3 needed", start);
      }
      double[] xs = new double[nv];
      double[] ys = new double[nv];
      for (int i = 0; i < nv; i++) {
        xs[i] = coords[2 * i];
        ys[i] = coords[2 * i + 1];
      }
      return new Polygon(xs, ys);
    }

    Answer.Prompt prompt() {
      pos = 1;
      int boxAt = pos;
      double[] box = coords("<bbox>");
      expect(Vocabulary.BBOX_CLOSE, "<bbox>");
      if (box.length != 4) {
        throw new Fail("<bbox> has " + box.length + " coordinates, expected 4", boxAt);
      }
      expect(Vocabulary.POINTS_OPEN, null);
      int ptsAt = pos;
      double[] pc = coords("<points>");
      expect(Vocabulary.POINTS_CLOSE, "<points>");
      if (pc.length % 2 != 0) {
        throw new Fail("odd number of coordinate tokens (" + pc.length + ") in <points>", ptsAt);
      }
      List<double[]> pts = new ArrayList<>();
      for (int i = 0; i < pc.length; i += 2) {
        pts.add(new double[] {pc[i], pc[i + 1]});
      }
      expect(Vocabulary.LABELS_OPEN, null);
      int labelsAt = pos;
      List<Integer> labels = new ArrayList<>();
      while (pos < ids.length && (ids[pos] == Vocabulary.LABEL_0 || ids[pos] == Vocabulary.LABEL_1)) {
        labels.add(ids[pos] == Vocabulary.LABEL_0 ? 0 : 1);
        pos++;
      }
      expect(Vocabulary.LABELS_CLOSE, "<labels>");
      if (labels.size() != pts.size()) {
        throw new Fail(pts.size() + " points but " + labels.size() + " labels", labelsAt);
      }
      expect(Vocabulary.END, null);
      int[] ls = new int[labels.size()];
      for (int i = 0; i < ls.length; i++) {
        ls[i] = labels.get(i);
      }
      return new Answer.Prompt(box, pts, ls);
    }

    /** Consecutive coordinate tokens from {@code pos}, as bin centres. */
    double[] coords(String where) {
      int start = pos;
      while (pos < ids.length && vocab.isCoord(ids[pos])) {
        pos++;
      }
      double[] out = new double[pos - start];
      for (int i = 0; i < out.length; i++) {
        out[i] = vocab.idToCoord(ids[start + i]);
      }
      return out;
    }

    void expect(int token, String openedBy) {
      if (pos >= ids.length) {
        throw new Fail(
            "truncated: sequence ends after " + ids.length + " tokens"
                + (openedBy != null ? " inside " + openedBy : "") + ", no <end>",
            pos);
      }
      if (ids[pos] != token) {
        String where = openedBy != null ? " inside " + openedBy : "";
        if (ids[pos] == Vocabulary.END && openedBy != null) {
          throw new Fail("unclosed " + openedBy + ": <end> before " + vocab.tokenText(token), pos);
        }
        throw new Fail(
            "unexpected token " + text(pos) + where + ", expected " + vocab.tokenText(token), pos);
      }
      pos++;
    }

    int next(String where) {
      if (pos >= ids.length) {
        throw new Fail("truncated: sequence ends after " + ids.length + " tokens " + where + ", no <end>", pos);
      }
      return ids[pos++];
    }

    String text(int i) {
      return vocab.tokenText(ids[i]);
    }
  }

  /** A growable int array. */
  static final class IntList {
    private int[] a;
    private int n;

    IntList(int capacity) {
      a = new int[Math.max(4, capacity)];
    }

    void add(int v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, 2 * n);
      }
      a[n++] = v;
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}
