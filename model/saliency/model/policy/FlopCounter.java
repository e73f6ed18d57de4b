package saliency.model.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Counts the floating-point operations of a TensorFlow graph from its ops' static shapes; stateless.
 *
 * <p>The graph is imported afresh with every placeholder's unknown leading dimension set to a concrete batch, so that
 * TensorFlow's shape inference gives every op of the part that a fetch needs a concrete shape. Counted: {@code MatMul}
 * and {@code BatchMatMul*} ({@code 2 M N K}), {@code Conv2D} and its two backprops ({@code 2 x output-gradient elements
 * x kh kw Cin}), and as element-wise work one operation per output element of arithmetic and activation ops and per
 * input element of reductions. Ops whose shape stays unknown are left out and counted in
 * {@link Count#unknownShapeOps}.
 */
public final class FlopCounter {
  private static final Set<String> MATMUL = Set.of("MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3");
  private static final Set<String> CONV = Set.of("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter");
  private static final Set<String> ELEMENTWISE = Set.of("Add", "AddV2", "AddN", "Sub", "Mul", "RealDiv", "Div",
      "DivNoNan", "Maximum", "Minimum", "Neg", "Exp", "Log", "Tanh", "Sigmoid", "Relu", "Square", "SquaredDifference",
      "BiasAdd", "TanhGrad", "SigmoidGrad", "ReluGrad", "Softmax", "LogSoftmax", "Select", "SelectV2", "Sqrt",
      "Rsqrt", "Reciprocal", "ZerosLike", "OnesLike", "Cast");
  private static final Set<String> REDUCTION = Set.of("Sum", "Mean", "Max", "Min", "Prod", "BiasAddGrad", "ArgMax");

  /**
   * Operations counted over a whole batch.
   *
   * @param matMul multiply-adds of matrix products, two operations each
   * @param conv multiply-adds of convolutions and their gradients, two operations each
   * @param elementwise element-wise and reduction operations, one per element
   * @param countedOps ops counted
   * @param unknownShapeOps ops of a counted kind left out because a shape stayed unknown
   */
  public record Count(long matMul, long conv, long elementwise, int countedOps, int unknownShapeOps) {
    /** Every counted operation. */
    public long total() {
      return matMul + conv + elementwise;
    }
  }

  /** Forward and forward+backward operations per sample of a policy network. */
  public record PolicyFlops(int batch, Count sampling, Count gradient) {
    public PolicyFlops {
      Objects.requireNonNull(sampling, "sampling");
      Objects.requireNonNull(gradient, "gradient");
    }

    /** Operations per sampled completion (the in-graph sampler's forward pass). */
    public double samplingPerSample() {
      return sampling.total() / (double) batch;
    }

    /** Operations per sample of a policy gradient (teacher-forced forward, loss and backward pass). */
    public double gradientPerSample() {
      return gradient.total() / (double) batch;
    }
  }

  private FlopCounter() {}

  /** The operations of the ops of {@code def} that the ops named {@code fetches} need, at {@code batch}. */
  public static Count forward(GraphDef def, long batch, List<String> fetches) {
    try (Graph g = imported(def, batch)) {
      Set<Operand<?>> outs = new HashSet<>();
      for (String f : fetches) {
        outs.add(g.operationOrThrow(f).output(0));
      }
      return count(needed(g, outs));
    }
  }

  /**
   * The operations of the forward pass to the scalar {@code loss} and of its gradients with respect to the ops named
   * {@code wrt} (added here as TensorFlow adds them), at {@code batch}.
   */
  public static Count forwardBackward(GraphDef def, long batch, String loss, List<String> wrt) {
    try (Graph g = imported(def, batch)) {
      Output<?>[] xs = new Output<?>[wrt.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = g.operationOrThrow(wrt.get(i)).output(0);
      }
      Output<?>[] grads = g.addGradients(g.operationOrThrow(loss).output(0), xs);
      Set<Operand<?>> outs = new HashSet<>();
      for (Output<?> o : grads) {
        if (o != null) {
          outs.add(o);
        }
      }
      return count(needed(g, outs));
    }
  }

  /**
   * The policy's operations at {@code batch}: its sampler ({@code sample_tokens}, {@code sample_token_logp}) and its
   * policy-gradient loss ({@code pg_total_loss}) with its gradients with respect to every weight ({@code r_*}), read
   * from the graph as {@link PolicyNetwork#exportSavedModel} writes it.
   */
  public static PolicyFlops policy(PolicyNetwork net, int batch) throws IOException {
    Path dir = Files.createTempDirectory("flops");
    try {
      Path model = dir.resolve("model");
      net.exportSavedModel(model);
      GraphDef def = SavedModel.parseFrom(Files.readAllBytes(model.resolve("saved_model.pb")))
          .getMetaGraphs(0).getGraphDef();
      List<String> reads = new ArrayList<>();
      for (NodeDef n : def.getNodeList()) {
        if (n.getName().startsWith("r_") && n.getOp().equals("Identity")) {
          reads.add(n.getName());
        }
      }
      return new PolicyFlops(batch, forward(def, batch, List.of("sample_tokens", "sample_token_logp")),
          forwardBackward(def, batch, "pg_total_loss", reads));
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** The ops that compute {@code outs}: those producing them and everything they read. */
  private static Set<GraphOperation> needed(Graph g, Set<Operand<?>> outs) {
    Set<GraphOperation> ops = new HashSet<>(g.subgraphTo(outs));
    for (Operand<?> o : outs) {
      ops.add((GraphOperation) o.op());
    }
    return ops;
  }

  /** {@code def} imported into a new graph with each placeholder's unknown leading dimension set to {@code batch}. */
  private static Graph imported(GraphDef def, long batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    GraphDef.Builder b = def.toBuilder();
    for (int i = 0; i < b.getNodeCount(); i++) {
      NodeDef n = b.getNode(i);
      AttrValue shape = n.getAttrMap().get("shape");
      if (!n.getOp().equals("Placeholder") || shape == null || shape.getShape().getUnknownRank()
          || shape.getShape().getDimCount() == 0 || shape.getShape().getDim(0).getSize() >= 0) {
        continue;
      }
      TensorShapeProto.Builder s = shape.getShape().toBuilder();
      s.setDim(0, s.getDim(0).toBuilder().setSize(batch));
      b.setNode(i, n.toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(s).build()));
    }
    Graph g = new Graph();
    try {
      g.importGraphDef(b.build());
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    return g;
  }

  private static Count count(Set<GraphOperation> ops) {
    long matMul = 0;
    long conv = 0;
    long elementwise = 0;
    int counted = 0;
    int unknown = 0;
    for (GraphOperation op : ops) {
      String type = op.type();
      long f;
      if (MATMUL.contains(type)) {
        f = matMul(op);
        if (f >= 0) {
          matMul += f;
        }
      } else if (CONV.contains(type)) {
        f = conv(op);
        if (f >= 0) {
          conv += f;
        }
      } else if (ELEMENTWISE.contains(type)) {
        f = elements(op.numOutputs() > 0 ? op.output(0).shape() : Shape.unknown());
        if (f >= 0) {
          elementwise += f;
        }
      } else if (REDUCTION.contains(type)) {
        f = elements(op.input(0).shape());
        if (f >= 0) {
          elementwise += f;
        }
      } else {
        continue;
      }
      if (f < 0) {
        unknown++;
      } else {
        counted++;
      }
    }
    return new Count(matMul, conv, elementwise, counted, unknown);
  }

  /** {@code 2 x output elements x K}, K the contracted dimension of the first input; -1 when a shape is unknown. */
  private static long matMul(GraphOperation op) {
    Shape a = op.input(0).shape();
    Shape out = op.output(0).shape();
    long outElements = elements(out);
    if (outElements < 0 || a.isUnknown() || a.numDimensions() < 2) {
      return -1;
    }
    boolean transposed = op.type().equals("MatMul") ? op.attributes().getAttrBool("transpose_a")
        : op.attributes().getAttrBool("adj_x");
    long k = a.get(a.numDimensions() - (transposed ? 2 : 1));
    return k < 0 ? -1 : 2 * outElements * k;
  }

  /** {@code 2 x (output or output-gradient) elements x kh kw Cin}; -1 when a shape is unknown. */
  private static long conv(GraphOperation op) {
    Shape filter;
    Shape result;
    switch (op.type()) {
      case "Conv2D" -> {
        filter = op.input(1).shape();
        result = op.output(0).shape();
      }
      case "Conv2DBackpropInput" -> {
        filter = op.input(1).shape();
        result = op.input(2).shape();
      }
      default -> { // Conv2DBackpropFilter: its output has the filter's shape
        filter = op.output(0).shape();
        result = op.input(2).shape();
      }
    }
    long r = elements(result);
    if (r < 0 || filter.isUnknown() || filter.numDimensions() != 4 || filter.hasUnknownDimension()) {
      return -1;
    }
    return 2 * r * filter.get(0) * filter.get(1) * filter.get(2);
  }

  private static long elements(Shape s) {
    if (s.isUnknown() || s.hasUnknownDimension()) {
      return -1;
    }
    long n = 1;
    for (int i = 0; i < s.numDimensions(); i++) {
      n *= s.get(i);
    }
    return n;
  }
}
