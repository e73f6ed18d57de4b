package saliency.model.text;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and mutated inputs: the parser and decoder return a result, never throw. */
class AnswerParserFuzzTest {
  private static final String[] PIECES = {
    "<rg>", "</rg>", "<ins>", "</ins>", "<bbox>", "</bbox>", "<points>", "</points>", "<labels>", "</labels>",
    "[", "]", ",", " ", "\n", "0", "1", "0.5", ".", "e", "E", "-", "+", "e-3", "NaN", "Infinity", "inf", "<", ">",
    "/", "1e400", "0.125", "[[", "]]", "\u0000", "\uD83D", "é"
  };

  private static void check(String text) {
    ParseResult r;
    try {
      r = AnswerParser.parse(text);
    } catch (Throwable t) {
      throw new AssertionError("parser threw on: " + text, t);
    }
    assertNotNull(r);
    if (r instanceof ParseResult.Failed f) {
      assertFalse(f.reason().startsWith("internal"), () -> f.reason() + " on " + text);
      assertTrue(f.position() >= 0 && f.position() <= text.length(), () -> f + " on " + text);
    } else {
      // whatever parses renders and parses again
      String again = AnswerRenderer.render(((ParseResult.Parsed) r).answer());
      assertTrue(AnswerParser.parse(again).isParsed(), again);
    }
    r.formatOk();
  }

  @Test
  void randomStringsNeverThrow() {
    Random rnd = new Random(2024);
    for (int it = 0; it < 20000; it++) {
      StringBuilder sb = new StringBuilder();
      int len = rnd.nextInt(40);
      boolean pieces = rnd.nextBoolean();
      for (int i = 0; i < len; i++) {
        if (pieces) {
          sb.append(PIECES[rnd.nextInt(PIECES.length)]);
        } else {
          sb.append((char) rnd.nextInt(rnd.nextBoolean() ? 128 : 65536));
        }
      }
      check(sb.toString());
    }
  }

  @Test
  void mutationsOfValidTextNeverThrow() {
    Random rnd = new Random(99);
    int parsed = 0;
    int failed = 0;
    for (int it = 0; it < 10000; it++) {
      StringBuilder sb = new StringBuilder(AnswerRenderer.render(RandomAnswers.any(rnd)));
      int edits = 1 + rnd.nextInt(3);
      for (int e = 0; e < edits && sb.length() > 0; e++) {
        int at = rnd.nextInt(sb.length());
        switch (rnd.nextInt(5)) {
          case 0:
            sb.deleteCharAt(at);
            break;
          case 1:
            sb.insert(at, PIECES[rnd.nextInt(PIECES.length)]);
            break;
          case 2:
            sb.setCharAt(at, (char) (32 + rnd.nextInt(95)));
            break;
          case 3:
            sb.setLength(at); // truncation, as by a length limit
            break;
          default:
            int end = Math.min(sb.length(), at + rnd.nextInt(12));
            sb.insert(rnd.nextInt(sb.length() + 1), sb.substring(at, end));
        }
      }
      String text = sb.toString();
      check(text);
      if (AnswerParser.parse(text).isParsed()) {
        parsed++;
      } else {
        failed++;
      }
    }
    // the mutations exercise both outcomes
    assertTrue(parsed > 100 && failed > 1000, "parsed " + parsed + ", failed " + failed);
  }

  @Test
  void randomAndMutatedTokenSequencesNeverThrow() {
    Random rnd = new Random(5);
    Tokenizer tok = new Tokenizer(new Vocabulary());
    for (int it = 0; it < 20000; it++) {
      int[] ids;
      if (rnd.nextBoolean()) {
        ids = new int[rnd.nextInt(30)];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = rnd.nextInt(10) == 0 ? rnd.nextInt(200) - 50 : rnd.nextInt(20);
          if (rnd.nextInt(3) == 0) {
            ids[i] = 18 + rnd.nextInt(64);
          }
        }
      } else {
        ids = tok.encode(RandomAnswers.any(rnd));
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits && ids.length > 0; e++) {
          int at = rnd.nextInt(ids.length);
          if (rnd.nextBoolean()) {
            ids[at] = rnd.nextInt(90) - 2;
          } else {
            ids = java.util.Arrays.copyOf(ids, at);
          }
        }
      }
      ParseResult r;
      try {
        r = tok.decode(ids);
      } catch (Throwable t) {
        throw new AssertionError("decoder threw on " + java.util.Arrays.toString(ids), t);
      }
      if (r instanceof ParseResult.Failed f) {
        assertFalse(f.reason().startsWith("internal"), f.reason());
      }
    }
  }
}
