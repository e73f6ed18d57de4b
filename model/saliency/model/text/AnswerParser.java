package saliency.model.text;

import java.util.ArrayList;
import java.util.List;
import saliency.model.geometry.Polygon;

/**
 * Reads the text form of an answer (DESIGN §3) into a {@link ParseResult}; stateless, and it never throws: any input,
 * null included, gives {@link ParseResult.Parsed} or {@link ParseResult.Failed}.
 *
 * <p>Grammar (whitespace allowed between any two tokens, and before and after the answer):
 *
 * <pre>
 * answer  := region+ | instance+ | prompt
 * region  := "&lt;rg&gt;" points "&lt;/rg&gt;"          (at least 3 points)
 * instance:= "&lt;ins&gt;" points "&lt;/ins&gt;"        (at least 3 points)
 * prompt  := "&lt;bbox&gt;" "[" num "," num "," num "," num "]" "&lt;/bbox&gt;"
 *            "&lt;points&gt;" points "&lt;/points&gt;" "&lt;labels&gt;" "[" (label ("," label)*)? "]" "&lt;/labels&gt;"
 * points  := "[" (point ("," point)*)? "]"
 * point   := "[" num "," num "]"
 * num     := [+-]? digits ("." digits?)? | [+-]? "." digits, then optionally [eE] [+-]? digits
 * label   := "0" | "1"
 * </pre>
 *
 * Every number must be finite and in [0,1]; the number of labels must equal the number of points. Polygons are not
 * checked for orientation or simplicity here ({@link ParseResult#formatOk()} does that).
 */
public final class AnswerParser {
  private static final String RG = "<rg>";
  private static final String RG_END = "</rg>";
  private static final String INS = "<ins>";
  private static final String INS_END = "</ins>";
  private static final String BBOX = "<bbox>";
  private static final String BBOX_END = "</bbox>";
  private static final String POINTS = "<points>";
  private static final String POINTS_END = "</points>";
  private static final String LABELS = "<labels>";
  private static final String LABELS_END = "</labels>";
  private static final int EXCERPT = 16;

  private AnswerParser() {}

  /** Reads {@code text}; never throws. */
  public static ParseResult parse(CharSequence text) {
    if (text == null) {
      return new ParseResult.Failed("no text (null)", 0);
    }
    Reader r = new Reader(text.toString());
    try {
      return new ParseResult.Parsed(r.answer());
    } catch (Fail f) {
      return new ParseResult.Failed(f.getMessage(), f.position);
    } catch (RuntimeException e) {
      // a defect of this parser, reported as a failure so that a completion never crashes a stage
      return new ParseResult.Failed("internal parser error: " + e, r.pos);
    }
  }

  /** Control flow for a failed parse: no stack trace. */
  private static final class Fail extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int position;

    Fail(String message, int position) {
      super(message, null, false, false);
      this.position = position;
    }
  }

  private static final class Reader {
    final String s;
    final int n;
    int pos;

    Reader(String s) {
      this.s = s;
      this.n = s.length();
    }

    Answer answer() {
      ws();
      if (eof()) {
        throw new Fail("empty answer: expected <rg>, <ins> or <bbox>", pos);
      }
      Answer a;
      if (at(RG)) {
        a = new Answer.Region(polygons(RG, RG_END, INS));
      } else if (at(INS)) {
        a = new Answer.Instances(polygons(INS, INS_END, RG));
      } else if (at(BBOX)) {
        a = prompt();
        ws();
        if (!eof()) {
          throw new Fail("trailing text after the prompt answer: " + found(), pos);
        }
      } else {
        throw new Fail("expected <rg>, <ins> or <bbox>, found " + found(), pos);
      }
      return a;
    }

    List<Polygon> polygons(String open, String close, String otherOpen) {
      List<Polygon> out = new ArrayList<>();
      while (true) {
        ws();
        if (eof()) {
          return out;
        }
        if (at(open)) {
          out.add(polygon(open, close));
        } else if (at(otherOpen)) {
          throw new Fail("answer mixes <rg> and <ins>", pos);
        } else if (at(BBOX)) {
          throw new Fail("answer mixes " + open + " polygons with a <bbox> prompt", pos);
        } else {
          throw new Fail("trailing text after " + close + ": " + found(), pos);
        }
      }
    }

    Polygon polygon(String open, String close) {
      int start = pos;
      pos += open.length();
      ws();
      List<double[]> pts = pointList(open);
      ws();
      expectTag(close, open);
      if (pts.size() < 3) {
        throw new Fail(open + " polygon has " + pts.size() + " vertices; at least 3 needed", start);
      }
      double[] xs = new double[pts.size()];
      double[] ys = new double[pts.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = pts.get(i)[0];
        ys[i] = pts.get(i)[1];
      }
      return new Polygon(xs, ys);
    }

    Answer.Prompt prompt() {
      pos += BBOX.length();
      ws();
      expectChar('[', "opening the <bbox> values");
      double[] box = new double[4];
      for (int i = 0; i < 4; i++) {
        ws();
        if (i > 0) {
          expectChar(',', "between <bbox> values (4 needed)");
          ws();
        }
        box[i] = coordinate();
      }
      ws();
      expectChar(']', "closing the <bbox> values (exactly 4)");
      ws();
      expectTag(BBOX_END, BBOX);
      ws();
      expectTag(POINTS, null);
      ws();
      List<double[]> pts = pointList(POINTS);
      ws();
      expectTag(POINTS_END, POINTS);
      ws();
      expectTag(LABELS, null);
      ws();
      int labelsAt = pos;
      expectChar('[', "opening the labels");
      List<Integer> labels = new ArrayList<>();
      ws();
      if (peek() == ']') {
        pos++;
      } else {
        while (true) {
          ws();
          labels.add(label());
          ws();
          if (peek() == ',') {
            pos++;
          } else if (peek() == ']') {
            pos++;
            break;
          } else {
            throw new Fail("expected ',' or ']' in labels, found " + found(), pos);
          }
        }
      }
      ws();
      expectTag(LABELS_END, LABELS);
      if (labels.size() != pts.size()) {
        throw new Fail(pts.size() + " points but " + labels.size() + " labels", labelsAt);
      }
      int[] ls = new int[labels.size()];
      for (int i = 0; i < ls.length; i++) {
        ls[i] = labels.get(i);
      }
      return new Answer.Prompt(box, pts, ls);
    }

    int label() {
      int at = pos;
      char c = peek();
      if ((c == '0' || c == '1') && !Character.isDigit(peekAt(pos + 1)) && peekAt(pos + 1) != '.') {
        pos++;
        return c - '0';
      }
      throw new Fail("label must be 0 or 1, found " + found(), at);
    }

    /** "[" (point ("," point)*)? "]" */
    List<double[]> pointList(String where) {
      expectChar('[', "opening the " + where + " point list");
      List<double[]> pts = new ArrayList<>();
      ws();
      if (peek() == ']') {
        pos++;
        return pts;
      }
      while (true) {
        ws();
        pts.add(point());
        ws();
        if (peek() == ',') {
          pos++;
        } else if (peek() == ']') {
          pos++;
          return pts;
        } else if (eof()) {
          throw new Fail("unclosed point list in " + where + ": expected ']' before end of text", pos);
        } else {
          throw new Fail("expected ',' or ']' in the " + where + " point list, found " + found(), pos);
        }
      }
    }

    /** "[" num "," num "]" */
    double[] point() {
      expectChar('[', "opening a point [x,y]");
      ws();
      double x = coordinate();
      ws();
      expectChar(',', "between x and y of a point");
      ws();
      double y = coordinate();
      ws();
      expectChar(']', "closing a point [x,y]");
      return new double[] {x, y};
    }

    /** A finite number in [0,1]. */
    double coordinate() {
      int at = pos;
      double v = number();
      if (!(v >= 0.0 && v <= 1.0)) {
        throw new Fail("coordinate " + s.substring(at, pos) + " outside [0,1]", at);
      }
      return v;
    }

    double number() {
      int start = pos;
      int i = pos;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      if (s.regionMatches(true, i, "nan", 0, 3) || s.regionMatches(true, i, "inf", 0, 3)) {
        throw new Fail("non-finite number " + excerpt(start), start);
      }
      int digits = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
      if (i < n && s.charAt(i) == '.') {
        i++;
        while (i < n && isDigit(s.charAt(i))) {
          i++;
          digits++;
        }
      }
      if (digits == 0) {
        throw new Fail("expected a number, found " + found(), start);
      }
      if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        int e = i;
        i++;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        int expDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
          i++;
          expDigits++;
        }
        if (expDigits == 0) {
          throw new Fail("malformed exponent in number " + s.substring(start, Math.min(n, e + 2)), start);
        }
      }
      String lit = s.substring(start, i);
      double v;
      try {
        v = Double.parseDouble(lit);
      } catch (NumberFormatException ex) {
        throw new Fail("malformed number " + abbreviate(lit), start);
      }
      if (!Double.isFinite(v)) {
        throw new Fail("number " + abbreviate(lit) + " overflows to a non-finite value", start);
      }
      pos = i;
      return v;
    }

    void expectTag(String tag, String openedBy) {
      if (at(tag)) {
        pos += tag.length();
        return;
      }
      if (eof()) {
        if (openedBy != null) {
          throw new Fail("unclosed " + openedBy + ": expected " + tag + " before end of text", pos);
        }
        throw new Fail("expected " + tag + " before end of text", pos);
      }
      throw new Fail("expected " + tag + ", found " + found(), pos);
    }

    void expectChar(char c, String what) {
      if (peek() == c && !eof()) {
        pos++;
        return;
      }
      throw new Fail("expected '" + c + "' " + what + ", found " + found(), pos);
    }

    void ws() {
      while (pos < n && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    boolean eof() {
      return pos >= n;
    }

    boolean at(String tag) {
      return s.startsWith(tag, pos);
    }

    char peek() {
      return peekAt(pos);
    }

    char peekAt(int i) {
      return i < n ? s.charAt(i) : '\0';
    }

    String found() {
      return eof() ? "end of text" : excerpt(pos);
    }

    String excerpt(int from) {
      int end = Math.min(n, from + EXCERPT);
      return "'" + s.substring(from, end) + (end < n ? "…'" : "'");
    }

    private static String abbreviate(String lit) {
      return lit.length() <= 24 ? lit : lit.substring(0, 24) + "…";
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }
}
