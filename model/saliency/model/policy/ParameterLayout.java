package saliency.model.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The order, shapes and offsets of the policy's weight tensors in the flat vector, and their variables and assign ops;
 * filled once while {@link PolicyGraph} builds the graph, then read-only.
 */
final class ParameterLayout {

  /** One weight tensor's place in the flat vector. */
  record Param(String name, Shape shape, int offset, int size, boolean head, Variable<TFloat32> variable,
      Operand<TFloat32> read) {}

  private final List<Param> params = new ArrayList<>();
  private final List<String> assignOps = new ArrayList<>();

  /** Declares the next weight tensor (variable {@code w_<name>}, read {@code r_<name>}) at the end of the vector. */
  Param add(Ops tf, String name, boolean head, long... dims) {
    Shape shape = Shape.of(dims);
    int size = (int) shape.size();
    int offset = size();
    Variable<TFloat32> v = tf.withName("w_" + name).variable(shape, TFloat32.class);
    Operand<TFloat32> read = tf.withName("r_" + name).identity(v);
    Param p = new Param(name, shape, offset, size, head, v, read);
    params.add(p);
    return p;
  }

  /** Adds one assign op per tensor ({@code assign_<name>}) that reads its slice of the {@code flat} placeholder. */
  void addAssignOps(Ops tf, Placeholder<TFloat32> flat) {
    for (Param p : params) {
      Operand<TFloat32> slice = tf.slice(flat, tf.constant(new int[] {p.offset()}), tf.constant(new int[] {p.size()}));
      Operand<TFloat32> shaped = tf.reshape(slice, tf.constant(p.shape().asArray()));
      String name = "assign_" + p.name();
      tf.withName(name).assign(p.variable(), shaped);
      assignOps.add(name);
    }
  }

  List<Param> params() {
    return Collections.unmodifiableList(params);
  }

  List<String> assignOps() {
    return Collections.unmodifiableList(assignOps);
  }

  /** Number of floats in the flat vector. */
  int size() {
    return params.isEmpty() ? 0 : params.get(params.size() - 1).offset() + params.get(params.size() - 1).size();
  }

  /** The reads of every tensor, or of the policy's alone (confidence head left out), in flat order. */
  List<Operand<TFloat32>> reads(boolean withHead) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Param p : params) {
      if (withHead || !p.head()) {
        out.add(p.read());
      }
    }
    return out;
  }

  /** [offset, end) of the confidence head's weights in the flat vector (they come last). */
  int[] headRange() {
    int total = size();
    for (Param p : params) {
      if (p.head()) {
        return new int[] {p.offset(), total};
      }
    }
    return new int[] {total, total};
  }

  /** Names, offsets and sizes of the weight tensors in flat order, one line each. */
  List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Param p : params) {
      out.add(p.name() + " " + p.shape() + " @" + p.offset() + (p.head() ? " (head)" : ""));
    }
    return out;
  }

  /** Glorot-uniform matrices and kernels (uniform in 0.1 for the embeddings), zero biases. */
  float[] initialWeights(Random rnd) {
    float[] w = new float[size()];
    for (Param p : params) {
      long[] dims = p.shape().asArray();
      if (dims.length == 1) {
        continue; // biases start at zero
      }
      double fanIn;
      double fanOut;
      if (dims.length == 4) {
        fanIn = dims[0] * dims[1] * dims[2];
        fanOut = dims[0] * dims[1] * dims[3];
      } else {
        fanIn = dims[0];
        fanOut = dims[1];
      }
      double limit = Math.sqrt(6.0 / (fanIn + fanOut));
      if (p.name().equals("embedding") || p.name().equals("head1_prompt")) {
        limit = 0.1;
      }
      for (int i = 0; i < p.size(); i++) {
        w[p.offset() + i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
      }
    }
    return w;
  }
}
