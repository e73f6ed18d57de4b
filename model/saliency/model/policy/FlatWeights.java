package saliency.model.policy;

import java.util.Objects;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import saliency.model.optim.Adam;

/**
 * The policy's weights as one flat {@code float[]} in the {@link ParameterLayout}'s order: a copy of the current
 * values, which it owns, kept equal to the variables in the session that {@link PolicyNetwork} owns.
 */
final class FlatWeights {

  private final ParameterLayout layout;
  private final Session session;
  private final float[] weights;

  FlatWeights(ParameterLayout layout, Session session) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.session = Objects.requireNonNull(session, "session");
    this.weights = new float[layout.size()];
  }

  /** Number of floats in the flat vector, confidence head included. */
  int size() {
    return weights.length;
  }

  /** A copy of all weights in flat order. */
  float[] get() {
    return weights.clone();
  }

  /** Replaces all weights (finite values only). */
  void set(float[] flat) {
    if (flat.length != weights.length) {
      throw new IllegalArgumentException("flat weights length " + flat.length + " != parameterCount " + weights.length);
    }
    if (!Adam.allFinite(flat)) {
      throw new IllegalArgumentException("flat weights contain a non-finite value");
    }
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(flat.length), DataBuffers.of(flat, true, false))) {
      Session.Runner r = session.runner().feed(PolicyGraph.FLAT_WEIGHTS, t);
      for (String op : layout.assignOps()) {
        r.addTarget(op);
      }
      r.run().close();
    }
    System.arraycopy(flat, 0, weights, 0, flat.length);
  }

  /** Replaces {@code values.length} weights starting at {@code offset}. */
  void setSlice(int offset, float[] values) {
    if (offset < 0 || offset + values.length > weights.length) {
      throw new IllegalArgumentException(
          "slice [" + offset + ", " + (offset + values.length) + ") outside [0, " + weights.length + ")");
    }
    float[] w = weights.clone();
    System.arraycopy(values, 0, w, offset, values.length);
    set(w);
  }
}
