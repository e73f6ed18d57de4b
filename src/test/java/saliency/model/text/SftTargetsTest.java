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

class SftTargetsTest {
  private final Tokenizer tok = new Tokenizer(new Vocabulary(64));

  private static Polygon square(double x0, double y0, double s) {
    return new Polygon(new double[] {x0, x0 + s, x0 + s, x0}, new double[] {y0, y0, y0 + s, y0 + s});
  }

  @Test
  void keepsSmallValidAnswersUnchangedApartFromSnapping() {
    Answer a = new Answer.Region(List.of(square(0.1, 0.1, 0.5)));
    SftTargets.Built b = assertInstanceOf(SftTargets.Built.class, new SftTargets(tok, 16, 64).build(a));
    assertArrayEquals(tok.encode(a), b.ids());
    assertEquals(0, b.thinned() + b.droppedInvalid() + b.droppedForLength());
    assertTrue(tok.decode(b.ids()).formatOk());
  }

  @Test
  void thinsLongPolygonsAndDropsCollapsedOnes() {
    Random rnd = new Random(3);
    Polygon big = RandomAnswers.starPolygon(rnd, 40, 40);
    Polygon tiny = square(0.5, 0.5, 0.001); // inside one bin: collapses to a point
    SftTargets.Built b =
        assertInstanceOf(
            SftTargets.Built.class, new SftTargets(tok, 12, 200).build(new Answer.Instances(List.of(big, tiny))));
    assertEquals(1, b.thinned());
    assertEquals(1, b.droppedInvalid());
    Answer.Instances out = assertInstanceOf(Answer.Instances.class, b.answer());
    assertEquals(1, out.instances().size());
    assertTrue(out.instances().get(0).size() <= 12);
    assertTrue(tok.decode(b.ids()).formatOk());
    assertInstanceOf(
        SftTargets.Skipped.class, new SftTargets(tok, 12, 200).build(new Answer.Region(List.of(tiny))));
  }

  @Test
  void dropsSmallestPolygonsToFitLength() {
    Polygon large = square(0.1, 0.1, 0.4); // 4 vertices: 10 tokens
    Polygon small = square(0.6, 0.6, 0.1);
    Polygon mid = square(0.6, 0.1, 0.2);
    // 3 polygons need 31 tokens; 21 fit two of them: the smallest goes
    SftTargets.Built b =
        assertInstanceOf(
            SftTargets.Built.class, new SftTargets(tok, 16, 21).build(new Answer.Region(List.of(large, small, mid))));
    assertEquals(1, b.droppedForLength());
    assertEquals(21, b.ids().length);
    List<Polygon> kept = ((Answer.Region) b.answer()).polygons();
    assertEquals(2, kept.size());
    assertEquals(tok.decode(tok.encode(new Answer.Region(List.of(large, mid)))).toOptional().orElseThrow(), b.answer());
  }

  @Test
  void everyBuiltTargetFitsAndDecodesWellFormed() {
    Random rnd = new Random(11);
    SftTargets s = new SftTargets(tok, 10, 48);
    int built = 0;
    int cut = 0;
    for (int it = 0; it < 500; it++) {
      Answer a = RandomAnswers.any(rnd);
      SftTargets.Target t = s.build(a);
      if (t instanceof SftTargets.Built b) {
        built++;
        cut += b.thinned() + b.droppedForLength();
        assertTrue(b.ids().length <= 48);
        assertTrue(tok.decode(b.ids()).formatOk(), () -> tok.vocabulary().toText(b.ids()));
      }
    }
    assertTrue(built > 450, "built " + built);
    assertTrue(cut > 100, "thinned or dropped " + cut); // the budget is exercised
    assertThrows(IllegalArgumentException.class, () -> new SftTargets(tok, 2, 48));
    assertThrows(IllegalArgumentException.class, () -> new SftTargets(tok, 8, 8));
  }
}
