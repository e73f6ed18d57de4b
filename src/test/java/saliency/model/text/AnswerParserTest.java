package saliency.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Polygon;

class AnswerParserTest {
  private static final String SQUARE = "[[0.100,0.100],[0.900,0.100],[0.900,0.900],[0.100,0.900]]"; // clockwise on screen

  private static Answer parsed(String text) {
    ParseResult r = AnswerParser.parse(text);
    if (r instanceof ParseResult.Failed f) {
      throw new AssertionError("expected a parse of " + text + ", got " + f);
    }
    return ((ParseResult.Parsed) r).answer();
  }

  private static ParseResult.Failed failed(String text, String reasonPart) {
    ParseResult r = AnswerParser.parse(text);
    ParseResult.Failed f = assertInstanceOf(ParseResult.Failed.class, r, () -> "expected failure for " + text);
    assertTrue(
        f.reason().contains(reasonPart), () -> "reason for " + text + " was '" + f.reason() + "', wanted " + reasonPart);
    assertTrue(f.position() >= 0 && f.position() <= (text == null ? 0 : text.length()));
    assertFalse(f.reason().startsWith("internal"), f.reason());
    return f;
  }

  @Test
  void rendersExactlyThreeDecimals() {
    Polygon p = new Polygon(new double[] {0.125, 0.25, 0.2}, new double[] {0.5, 0.5, 0.75});
    assertEquals(
        "<rg>[[0.125,0.500],[0.250,0.500],[0.200,0.750]]</rg>", AnswerRenderer.render(new Answer.Region(List.of(p))));
    assertEquals(
        "<ins>[[0.125,0.500],[0.250,0.500],[0.200,0.750]]</ins><ins>[[0.125,0.500],[0.250,0.500],[0.200,0.750]]</ins>",
        AnswerRenderer.render(new Answer.Instances(List.of(p, p))));
    Answer.Prompt pr =
        new Answer.Prompt(
            new double[] {0.1, 0.2, 0.3, 0.4}, List.of(new double[] {0.5, 0.6}, new double[] {1, 0}), new int[] {1, 0});
    assertEquals(
        "<bbox>[0.100,0.200,0.300,0.400]</bbox><points>[[0.500,0.600],[1.000,0.000]]</points><labels>[1,0]</labels>",
        AnswerRenderer.render(pr));
    assertEquals(
        "<bbox>[0.100,0.200,0.300,0.400]</bbox><points>[]</points><labels>[]</labels>",
        AnswerRenderer.render(new Answer.Prompt(new double[] {0.1, 0.2, 0.3, 0.4}, List.of(), new int[0])));
    assertEquals("0.000", AnswerRenderer.formatCoord(-0.0));
    assertEquals("0.667", AnswerRenderer.formatCoord(2.0 / 3));
  }

  @Test
  void parsesRegionsWithWhitespaceAndExponents() {
    Answer a =
        parsed(
            " \n<rg> [ [0.1 , 1e-1] ,[9E-1,0.1],\t[ .9, +0.9 ], [1.0e-1, 0.9]] </rg>\n<rg>"
                + SQUARE
                + "</rg>  ");
    Answer.Region r = assertInstanceOf(Answer.Region.class, a);
    assertEquals(2, r.polygons().size());
    Polygon p = r.polygons().get(0);
    assertArrayEquals(new double[] {0.1, 0.9, 0.9, 0.1}, p.xs(), 1e-15);
    assertArrayEquals(new double[] {0.1, 0.1, 0.9, 0.9}, p.ys(), 1e-15);
    assertTrue(AnswerParser.parse("<rg>" + SQUARE + "</rg>").formatOk());
    assertEquals(0.0, ((Answer.Region) parsed("<rg>[[0,0],[1,0],[1,1]]</rg>")).polygons().get(0).x(0));
  }

  @Test
  void parsesInstancesAndPrompts() {
    Answer.Instances in = assertInstanceOf(Answer.Instances.class, parsed("<ins>" + SQUARE + "</ins> <ins>" + SQUARE + "</ins>"));
    assertEquals(2, in.instances().size());
    Answer.Prompt p =
        assertInstanceOf(
            Answer.Prompt.class,
            parsed("<bbox>[0.1, 0.2, 0.3, 0.4]</bbox>\n<points>[[0.5,0.6],[0.7,0.8]]</points><labels>[1, 0]</labels>"));
    assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4}, p.box(), 0);
    assertArrayEquals(new int[] {1, 0}, p.labels());
    assertArrayEquals(new double[] {0.7, 0.8}, p.points().get(1), 0);
    assertTrue(AnswerParser.parse("<bbox>[0.1,0.2,0.3,0.4]</bbox><points>[]</points><labels>[]</labels>").formatOk());
  }

  @Test
  void malformedInputsGiveTypedFailures() {
    failed(null, "null");
    failed("", "empty answer");
    failed("   ", "empty answer");
    failed("hello", "expected <rg>, <ins> or <bbox>");
    failed("<rg>[[0.1,0.1],[1.2,0.1],[0.9,0.9]]</rg>", "outside [0,1]");
    failed("<rg>[[0.1,-0.1],[0.9,0.1],[0.9,0.9]]</rg>", "outside [0,1]");
    failed("<rg>" + SQUARE + "</rg><ins>" + SQUARE + "</ins>", "mixes <rg> and <ins>");
    failed("<ins>" + SQUARE + "</ins><rg>" + SQUARE + "</rg>", "mixes <rg> and <ins>");
    failed("<rg>" + SQUARE, "unclosed <rg>");
    failed("<rg>[[0.1,0.1],[0.9,0.1]", "unclosed point list");
    failed("<rg>" + SQUARE + "</ins>", "expected </rg>");
    failed("<rg>" + SQUARE + "</rg> thanks!", "trailing text");
    failed("<rg>" + SQUARE + "</rg><bbox>[0,0,1,1]</bbox>", "mixes <rg> polygons with a <bbox>");
    failed("<rg>[[NaN,0.1],[0.9,0.1],[0.9,0.9]]</rg>", "non-finite");
    failed("<rg>[[0.1,Infinity],[0.9,0.1],[0.9,0.9]]</rg>", "non-finite");
    failed("<rg>[[0.1,-inf],[0.9,0.1],[0.9,0.9]]</rg>", "non-finite");
    failed("<rg>[[0.1,1e400],[0.9,0.1],[0.9,0.9]]</rg>", "non-finite");
    failed("<rg>[[0.1,1e],[0.9,0.1],[0.9,0.9]]</rg>", "malformed exponent");
    failed("<rg>[[0.1,.],[0.9,0.1],[0.9,0.9]]</rg>", "expected a number");
    failed("<rg>[[0.1,0.1],[0.9,0.1]]</rg>", "2 vertices; at least 3");
    failed("<rg>[]</rg>", "0 vertices");
    failed("<rg>[[0.1,0.1,0.2],[0.9,0.1],[0.9,0.9]]</rg>", "closing a point");
    failed("<rg>[[0.1 0.1],[0.9,0.1],[0.9,0.9]]</rg>", "between x and y");
    failed("<rg>[[0.1,0.1][0.9,0.1],[0.9,0.9]]</rg>", "expected ',' or ']'");
    failed("<bbox>[0.1,0.2,0.3]</bbox><points>[]</points><labels>[]</labels>", "between <bbox> values");
    failed("<bbox>[0.1,0.2,0.3,0.4,0.5]</bbox><points>[]</points><labels>[]</labels>", "exactly 4");
    failed("<bbox>[0.1,0.2,0.3,0.4]</bbox><points>[[0.5,0.5]]</points><labels>[]</labels>", "1 points but 0 labels");
    failed("<bbox>[0.1,0.2,0.3,0.4]</bbox><points>[[0.5,0.5]]</points><labels>[2]</labels>", "label must be 0 or 1");
    failed("<bbox>[0.1,0.2,0.3,0.4]</bbox><points>[[0.5,0.5]]</points><labels>[1.0]</labels>", "label must be 0 or 1");
    failed("<bbox>[0.1,0.2,0.3,0.4]</bbox><points>[[0.5,0.5]]</points><labels>[1]", "unclosed <labels>");
    failed("<bbox>[0.1,0.2,0.3,0.4]</bbox><labels>[]</labels>", "expected <points>");
    failed("<bbox>[0.1,0.2,0.3,0.4]</bbox><points>[]</points><labels>[]</labels>x", "trailing text");
  }

  @Test
  void failurePositionPointsAtTheProblem() {
    String text = "<rg>[[0.1,0.1],[1.5,0.1],[0.9,0.9]]</rg>";
    assertEquals(text.indexOf("1.5"), failed(text, "outside").position());
    String mix = "<rg>" + SQUARE + "</rg><ins>";
    assertEquals(mix.indexOf("<ins>"), failed(mix, "mixes").position());
  }

  @Test
  void formatOkNeedsValidPolygonsAndBox() {
    String ccw = "[[0.1,0.1],[0.1,0.9],[0.9,0.9],[0.9,0.1]]";
    String bowTie = "[[0.1,0.1],[0.9,0.9],[0.9,0.1],[0.1,0.9]]";
    ParseResult r = AnswerParser.parse("<rg>" + ccw + "</rg>");
    assertTrue(r.isParsed());
    assertFalse(r.formatOk()); // counter-clockwise on screen
    assertFalse(AnswerParser.parse("<rg>" + SQUARE + "</rg><rg>" + bowTie + "</rg>").formatOk());
    assertTrue(AnswerParser.parse("<ins>" + SQUARE + "</ins><ins>" + SQUARE + "</ins>").formatOk());
    assertFalse(AnswerParser.parse("<bbox>[0.3,0.2,0.1,0.4]</bbox><points>[]</points><labels>[]</labels>").formatOk());
    assertFalse(AnswerParser.parse("<rg>" + SQUARE).formatOk());
    assertTrue(AnswerParser.parse("<rg>" + SQUARE + "</rg>").toOptional().isPresent());
    assertTrue(AnswerParser.parse("<rg>").toOptional().isEmpty());
  }

  @Test
  void renderThenParseRoundTrips() {
    Random rnd = new Random(12345);
    for (int it = 0; it < 2000; it++) {
      Answer a = RandomAnswers.any(rnd);
      String text = AnswerRenderer.render(a);
      Answer b = parsed(text);
      double d = RandomAnswers.maxDiff(a, b);
      assertTrue(d <= 0.0005 + 1e-12, () -> "diff " + d + " for " + text);
      assertEquals(text, AnswerRenderer.render(b)); // rendering is a fixed point after one round
    }
  }

  @Test
  void generatedPolygonsAreValid() {
    Random rnd = new Random(7);
    for (int it = 0; it < 500; it++) {
      Answer a = new Answer.Region(RandomAnswers.polygons(rnd, 2, 3, 24));
      assertTrue(ParseResult.isWellFormed(a), () -> a.toString());
    }
  }
}
