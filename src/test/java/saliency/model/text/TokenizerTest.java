package saliency.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Polygon;

class TokenizerTest {
  private final Vocabulary vocab = new Vocabulary(64);
  private final Tokenizer tok = new Tokenizer(vocab);
  // bin b has id 18 + b; with 64 bins, 0.1 -> bin 6 (id 24), 0.9 -> bin 57 (id 75), 0.5 -> bin 32 (id 50)
  private static final int C01 = 24;
  private static final int C09 = 75;
  private static final int C05 = 50;
  private static final Polygon TRI = new Polygon(new double[] {0.1, 0.9, 0.5}, new double[] {0.1, 0.1, 0.9});

  private ParseResult.Failed failed(int[] ids, String reasonPart) {
    ParseResult.Failed f = assertInstanceOf(ParseResult.Failed.class, tok.decode(ids));
    assertTrue(f.reason().contains(reasonPart), () -> "reason '" + f.reason() + "', wanted " + reasonPart);
    return f;
  }

  @Test
  void encodesEachAnswerKind() {
    assertArrayEquals(
        new int[] {6, C01, C01, C09, C01, C05, C09, 7, 6, C01, C01, C09, C01, C05, C09, 7, 1},
        tok.encode(new Answer.Region(List.of(TRI, TRI))));
    assertArrayEquals(
        new int[] {8, C01, C01, C09, C01, C05, C09, 9, 1}, tok.encode(new Answer.Instances(List.of(TRI))));
    Answer.Prompt p =
        new Answer.Prompt(
            new double[] {0.1, 0.1, 0.9, 0.9}, List.of(new double[] {0.5, 0.5}, new double[] {0.1, 0.9}), new int[] {1, 0});
    int[] ids = tok.encode(p);
    assertArrayEquals(
        new int[] {10, C01, C01, C09, C09, 11, 12, C05, C05, C01, C09, 13, 14, 17, 16, 15, 1}, ids);
    assertEquals(ids.length, Tokenizer.length(p));
    assertEquals(17, Tokenizer.length(new Answer.Region(List.of(TRI, TRI))));
    assertThrows(
        IllegalArgumentException.class,
        () -> tok.encode(new Answer.Prompt(new double[] {0, 0, 1, 1}, List.of(new double[] {0.5, 0.5}), new int[] {2})));
  }

  @Test
  void decodesToBinCentres() {
    Answer.Region r =
        assertInstanceOf(Answer.Region.class, ((ParseResult.Parsed) tok.decode(tok.encode(new Answer.Region(List.of(TRI))))).answer());
    Polygon p = r.polygons().get(0);
    assertArrayEquals(new double[] {6.5 / 64, 57.5 / 64, 32.5 / 64}, p.xs(), 0);
    assertArrayEquals(new double[] {6.5 / 64, 6.5 / 64, 57.5 / 64}, p.ys(), 0);
    assertTrue(tok.decode(tok.encode(new Answer.Region(List.of(TRI)))).formatOk());
  }

  @Test
  void idsAfterEndAreIgnored() {
    int[] ids = {6, C01, C01, C09, C01, C05, C09, 7, 1, 0, 0, 99, 6};
    assertTrue(tok.decode(ids).isParsed());
  }

  @Test
  void malformedSequencesGiveTypedFailures() {
    failed(new int[] {}, "truncated");
    failed(new int[] {6, C01, C01, C09, C01, C05, C09, 7}, "truncated");
    failed(new int[] {6, C01, C01, C09, C01, C05}, "truncated");
    assertEquals(6, failed(new int[] {6, C01, C01, C09, C01, C05}, "inside <rg>").position());
    failed(new int[] {1}, "empty answer");
    failed(new int[] {2, 6, C01, C01, C09, C01, C05, C09, 7, 1}, "starts with <sod>");
    failed(new int[] {6, C01, C01, C09, C01, C05, 7, 1}, "odd number of coordinate tokens (5)");
    failed(new int[] {6, C01, C01, C09, C01, 7, 1}, "2 vertices; at least 3");
    failed(new int[] {6, C01, C01, C09, C01, C05, C09, 1}, "unclosed <rg>");
    failed(new int[] {6, C01, C01, C09, C01, C05, C09, 7, 8, C01, C01, C09, C01, C05, C09, 9, 1}, "mixes");
    failed(new int[] {6, C01, C01, C09, C01, 10, C05, C09, 7, 1}, "unexpected token <bbox> inside <rg>");
    failed(new int[] {6, C01, C01, C09, C01, C05, C09, 7, 16, 1}, "between polygons");
    failed(new int[] {6, C01, C01, C09, C01, 500, C09, 7, 1}, "<unk:500>");
    failed(new int[] {6, C01, C01, C09, C01, -3, C09, 7, 1}, "<unk:-3>");
    failed(new int[] {6, C01, C01, C09, C01, 0, C09, 7, 1}, "<pad>");
    failed(new int[] {10, C01, C01, C09, 11, 12, 13, 14, 15, 1}, "3 coordinates, expected 4");
    failed(new int[] {10, C01, C01, C09, C09, 11, 12, C05, 13, 14, 17, 15, 1}, "odd number");
    failed(new int[] {10, C01, C01, C09, C09, 11, 12, C05, C05, 13, 14, 15, 1}, "1 points but 0 labels");
    failed(new int[] {10, C01, C01, C09, C09, 11, 12, 13, 14, 15}, "truncated");
    failed(new int[] {10, C01, C01, C09, C09, 11, 12, 13, 14, 15, 6, 1}, "expected <end>");
    assertTrue(tok.decode(new int[] {10, C01, C01, C09, C09, 11, 12, 13, 14, 15, 1}).formatOk());
    assertInstanceOf(ParseResult.Failed.class, tok.decode(null));
  }

  @Test
  void encodeThenDecodeIsWithinHalfABin() {
    for (int bins : new int[] {32, 64, 100}) {
      Tokenizer t = new Tokenizer(new Vocabulary(bins));
      Random rnd = new Random(bins);
      for (int it = 0; it < 2000; it++) {
        Answer a = RandomAnswers.any(rnd);
        int[] ids = t.encode(a);
        assertEquals(Tokenizer.length(a), ids.length);
        assertEquals(Vocabulary.END, ids[ids.length - 1]);
        ParseResult r = t.decode(ids);
        assertTrue(r.isParsed(), () -> r.toString());
        double d = RandomAnswers.maxDiff(a, r.toOptional().orElseThrow());
        assertTrue(d <= 0.5 / bins + 1e-12, "diff " + d + " with " + bins + " bins");
        assertArrayEquals(ids, t.encode(r.toOptional().orElseThrow())); // bin centres re-encode to the same ids
      }
    }
  }
}
