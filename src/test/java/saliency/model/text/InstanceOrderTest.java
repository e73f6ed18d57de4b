package saliency.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;
import saliency.model.geometry.MaskPolygons;
import saliency.model.geometry.PolygonRasterizer;

/** SIS targets list instances largest first, equal areas top-left first, whatever order they come in. */
class InstanceOrderTest {
  private static final int SIZE = 64;

  private static Mask box(int x0, int y0, int w, int h) {
    boolean[] bits = new boolean[SIZE * SIZE];
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        bits[y * SIZE + x] = true;
      }
    }
    return new Mask(SIZE, SIZE, bits);
  }

  private final Mask small = box(50, 50, 6, 6);
  private final Mask large = box(2, 30, 30, 20);
  private final Mask lowerSquare = box(4, 12, 12, 12); // 144 pixels, starts on row 12
  private final Mask upperSquare = box(40, 2, 12, 12); // 144 pixels, starts on row 2: first of the two

  @Test
  void sortsByAreaThenByTheFirstPixelInRasterOrder() {
    List<Mask> given = List.of(small, lowerSquare, new Mask(SIZE, SIZE), large, upperSquare);
    assertEquals(List.of(large, upperSquare, lowerSquare, small), InstanceOrder.sorted(given),
        "the empty instance is left out");
    assertEquals(InstanceOrder.sorted(given), InstanceOrder.sorted(List.of(upperSquare, small, large, lowerSquare)));
  }

  @Test
  void theAnswerOutlinesEachInstanceInThatOrder() {
    Answer.Instances a = InstanceOrder.answer(List.of(small, lowerSquare, large, upperSquare),
        MaskPolygons.Options.defaults());
    List<Mask> expected = List.of(large, upperSquare, lowerSquare, small);
    assertEquals(4, a.instances().size());
    for (int i = 0; i < 4; i++) {
      Mask drawn = PolygonRasterizer.rasterize(a.instances().get(i), SIZE, SIZE);
      assertTrue(drawn.iou(expected.get(i)) > 0.9, "instance " + i + ": IoU " + drawn.iou(expected.get(i)));
    }
  }

  @Test
  void aTargetCutForLengthKeepsTheLargestInstancesAsAPrefix() {
    Tokenizer tok = new Tokenizer(new Vocabulary(64));
    Answer.Instances a = InstanceOrder.answer(List.of(small, lowerSquare, large, upperSquare),
        MaskPolygons.Options.defaults());
    // four rectangles of 4 vertices: room for two
    int room = 1 + 2 * Tokenizer.polygonLength(4);
    SftTargets.Built b = assertInstanceOf(SftTargets.Built.class, new SftTargets(tok, 16, room).build(a));
    assertEquals(2, b.droppedForLength());
    Answer.Instances kept = assertInstanceOf(Answer.Instances.class, tok.decode(b.ids()).toOptional().orElseThrow());
    assertEquals(2, kept.instances().size());
    assertTrue(PolygonRasterizer.rasterize(kept.instances().get(0), SIZE, SIZE).iou(large) > 0.9);
    assertTrue(PolygonRasterizer.rasterize(kept.instances().get(1), SIZE, SIZE).iou(upperSquare) > 0.9);
  }
}
