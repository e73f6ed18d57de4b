package saliency.model.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/** The FLOP counter on a graph small enough to count by hand: one matrix product and one convolution. */
class FlopCounterTest {
  private static final int B = 2;
  /** x (B, 3) times w (3, 4): 2 B 3 4. */
  private static final long MATMUL = 2L * B * 3 * 4;
  /** img (B, 8, 8, 2), 3x3 filter to 5 channels, stride 1, SAME: 2 x (B 8 8 5) x (3 3 2). */
  private static final long CONV = 2L * (B * 8 * 8 * 5) * (3 * 3 * 2);

  private static GraphDef tiny() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      Operand<TFloat32> w = tf.withName("w").identity(tf.constant(new float[3][4]));
      Placeholder<TFloat32> img =
          tf.withName("img").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 2)));
      Operand<TFloat32> f = tf.withName("f").identity(tf.constant(new float[3][3][2][5]));
      Operand<TFloat32> y = tf.linalg.matMul(x, w); // (B, 4)
      Operand<TFloat32> c = tf.nn.conv2d(img, f, List.of(1L, 1L, 1L, 1L), "SAME"); // (B, 8, 8, 5)
      tf.withName("loss").math.add(tf.sum(y, tf.constant(new int[] {0, 1})),
          tf.sum(c, tf.constant(new int[] {0, 1, 2, 3})));
      return g.toGraphDef();
    }
  }

  @Test
  void forwardCountsTheProductAndTheConvolutionAtTheGivenBatch() {
    FlopCounter.Count c = FlopCounter.forward(tiny(), B, List.of("loss"));
    assertEquals(MATMUL, c.matMul());
    assertEquals(CONV, c.conv());
    // the two sums read B*4 and B*8*8*5 elements, the add writes one
    assertEquals(B * 4 + B * 8 * 8 * 5 + 1, c.elementwise());
    assertEquals(0, c.unknownShapeOps());
    assertEquals(MATMUL + CONV + c.elementwise(), c.total());
  }

  @Test
  void backwardAddsTwoProductsAndBothConvolutionGradients() {
    FlopCounter.Count c = FlopCounter.forwardBackward(tiny(), B, "loss", List.of("w", "f"));
    // forward, then dL/dw = x^T dy (3 x B x 4); the path to x is not needed for dL/dw
    assertTrue(c.matMul() >= 2 * MATMUL && c.matMul() <= 3 * MATMUL, "matmul " + c.matMul());
    assertEquals(0, c.unknownShapeOps());
    FlopCounter.Count both = FlopCounter.forwardBackward(tiny(), B, "loss", List.of("w", "f", "x", "img"));
    assertEquals(3 * MATMUL, both.matMul());
    assertEquals(3 * CONV, both.conv());
  }

  @Test
  void perSampleFiguresScaleWithTheBatch() {
    FlopCounter.Count one = FlopCounter.forward(tiny(), 1, List.of("loss"));
    FlopCounter.Count four = FlopCounter.forward(tiny(), 4, List.of("loss"));
    assertEquals(4 * one.matMul(), four.matMul());
    assertEquals(4 * one.conv(), four.conv());
  }
}
