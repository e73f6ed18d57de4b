package saliency.model.score;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import saliency.model.data.LabelledImage;
import saliency.model.geometry.Mask;
import saliency.model.geometry.PolygonRasterizer;
import saliency.model.text.Answer;
import saliency.model.text.AnswerParser;
import saliency.model.text.ParseResult;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;

/**
 * Turns answer texts written by any model into saliency maps with the project's own parser and segmenters (polygons
 * rasterized, prompts through a promptable segmenter when one is given) and counts every answer that gives no mask,
 * by kind; owns its counters (not thread-safe).
 */
public final class AnswerScoring {
  /** Kinds of answers that give an empty map. */
  public static final String NOT_PARSED = "not parsed";
  public static final String NOT_WELL_FORMED = "parsed, not well formed";
  public static final String PROMPT_WITHOUT_SEGMENTER = "prompt answer without a segmenter";
  public static final String NOT_INSTANCES = "region or prompt answer for task sis (no instances)";

  private final ExampleEncoder promptEncoder;
  private final Map<String, Long> failures = new TreeMap<>();
  private final Map<String, Long> parseReasons = new TreeMap<>();
  private long answers;

  /**
   * @param promptEncoder an encoder holding a promptable segmenter (prompt answers are segmented with it), or null
   *     (prompt answers are then counted as {@link #PROMPT_WITHOUT_SEGMENTER} and give an empty map)
   */
  public AnswerScoring(ExampleEncoder promptEncoder) {
    if (promptEncoder != null && !promptEncoder.promptAnswers()) {
      throw new IllegalArgumentException("the prompt encoder must be one for prompt answers");
    }
    this.promptEncoder = promptEncoder;
  }

  /**
   * The saliency map ({@code width*height} of the image, values in [0,1]) of one answer text for {@code image}: the
   * union of its polygons (region or instance answers), or the segmenter's probabilities for a prompt answer; all
   * zeros, counted by kind, when it gives no mask.
   */
  public double[] map(LabelledImage image, String answerText) {
    Objects.requireNonNull(image, "image");
    Mask gt = image.mask();
    int w = gt.width();
    int h = gt.height();
    ParseResult r = parse(answerText);
    if (!(r instanceof ParseResult.Parsed parsed)) {
      return new double[w * h];
    }
    Answer a = parsed.answer();
    if (a instanceof Answer.Prompt) {
      if (promptEncoder == null) {
        count(PROMPT_WITHOUT_SEGMENTER);
        return new double[w * h];
      }
      Prepared p = promptEncoder.prepare(image, false);
      return promptEncoder.map(p, r, w, h);
    }
    boolean[] bits = ExampleEncoder.render(r, w, h).bits();
    double[] map = new double[bits.length];
    for (int i = 0; i < bits.length; i++) {
      map[i] = bits[i] ? 1 : 0;
    }
    return map;
  }

  /**
   * The instance masks of one SIS answer text for {@code image}, in the answer's order (the size of the image): one
   * per {@code <ins>} polygon, rasterized; none, counted by kind, when the text does not parse or is a region or
   * prompt answer ({@link #NOT_INSTANCES}).
   */
  public List<Mask> instances(LabelledImage image, String answerText) {
    Objects.requireNonNull(image, "image");
    ParseResult r = parse(answerText);
    if (!(r instanceof ParseResult.Parsed parsed)) {
      return List.of();
    }
    if (!(parsed.answer() instanceof Answer.Instances in)) {
      count(NOT_INSTANCES);
      return List.of();
    }
    return PolygonRasterizer.rasterizeEach(in.instances(), image.mask().width(), image.mask().height());
  }

  /** Reads one answer text, counting it, and a failed or not well-formed parse by kind. */
  private ParseResult parse(String answerText) {
    answers++;
    ParseResult r = AnswerParser.parse(answerOnly(answerText));
    if (r instanceof ParseResult.Failed f) {
      count(NOT_PARSED);
      parseReasons.merge(kind(f.reason()), 1L, Long::sum);
    } else if (!r.formatOk()) {
      count(NOT_WELL_FORMED);
    }
    return r;
  }

  /** Counts an answer-independent problem (a bad line, an unknown image, a missing answer, ...). */
  public void count(String kind) {
    failures.merge(Objects.requireNonNull(kind, "kind"), 1L, Long::sum);
  }

  /** Answers read through {@link #map}. */
  public long answers() {
    return answers;
  }

  /** Problems by kind, in name order. */
  public Map<String, Long> failures() {
    return new TreeMap<>(failures);
  }

  /** Parse failures by the parser's reason (numbers and quoted excerpts removed), in name order. */
  public Map<String, Long> parseFailures() {
    return new TreeMap<>(parseReasons);
  }

  /**
   * The answer part of a model's text: from the first {@code <rg>}, {@code <ins>} or {@code <bbox>} tag to the end of
   * the last closing tag, so prose a model writes around its answer is ignored (the text unchanged when it has none).
   */
  static String answerOnly(String text) {
    if (text == null) {
      return null;
    }
    int start = -1;
    for (String open : new String[] {"<rg>", "<ins>", "<bbox>"}) {
      int i = text.indexOf(open);
      if (i >= 0 && (start < 0 || i < start)) {
        start = i;
      }
    }
    if (start < 0) {
      return text;
    }
    int end = -1;
    for (String close : new String[] {"</rg>", "</ins>", "</labels>"}) {
      int i = text.lastIndexOf(close);
      if (i >= 0) {
        end = Math.max(end, i + close.length());
      }
    }
    return end > start ? text.substring(start, end) : text.substring(start);
  }

  /** A parser reason without its positions, numbers and excerpts, so that like failures count together. */
  static String kind(String reason) {
    String k = reason.replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("\\d+(\\.\\d+)?", "N");
    return k.length() > 80 ? k.substring(0, 80) : k;
  }
}
