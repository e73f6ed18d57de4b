package saliency.model.tfjs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * Rewrites the fused ops that the TensorFlow.js converter writes into plain TensorFlow ops; stateless.
 *
 * <p>{@code _FusedConv2D}, {@code FusedDepthwiseConv2dNative} and {@code _FusedMatMul} with {@code fused_ops}
 * {@code [BiasAdd]} or {@code [BiasAdd, ACT]} (ACT one of Relu, Relu6, Elu, Sigmoid, Tanh, LeakyRelu) become
 * {@code Conv2D | DepthwiseConv2dNative | MatMul -> BiasAdd [-> ACT]}. The last node of each chain keeps the fused
 * node's name, so consumers and fetches are unchanged; the others are named {@code NAME/tfjs_base} and
 * {@code NAME/tfjs_bias}. Any other fused pattern is an error naming the node.
 */
final class FusedOps {
  static final String BASE_SUFFIX = "/tfjs_base";
  static final String BIAS_SUFFIX = "/tfjs_bias";

  private static final Map<String, String> BASE_OP = Map.of(
      "_FusedConv2D", "Conv2D",
      "FusedDepthwiseConv2dNative", "DepthwiseConv2dNative",
      "_FusedMatMul", "MatMul");
  private static final Set<String> ACTIVATIONS = Set.of("Relu", "Relu6", "Elu", "Sigmoid", "Tanh", "LeakyRelu");

  private FusedOps() {}

  static boolean isFused(String op) {
    return BASE_OP.containsKey(op);
  }

  /**
   * The plain nodes replacing {@code node}. Attributes are copied only where the target op declares them
   * ({@code opDefs}); {@code taken} holds every node name in the graph and receives the new ones.
   */
  static List<NodeDef> rewrite(NodeDef node, Map<String, OpDef> opDefs, Set<String> taken, String where) {
    String name = node.getName();
    String baseOp = BASE_OP.get(node.getOp());
    if (baseOp == null) {
      throw new IllegalArgumentException(where + ": node '" + name + "' has op " + node.getOp() + ", not a fused op");
    }
    List<String> fused = new ArrayList<>();
    AttrValue fusedAttr = node.getAttrOrDefault("fused_ops", AttrValue.getDefaultInstance());
    for (var s : fusedAttr.getList().getSList()) {
      fused.add(s.toStringUtf8());
    }
    boolean ok = !fused.isEmpty() && fused.get(0).equals("BiasAdd")
        && (fused.size() == 1 || (fused.size() == 2 && ACTIVATIONS.contains(fused.get(1))));
    if (!ok) {
      throw new IllegalArgumentException(
          where + ": node '" + name + "' (" + node.getOp() + ") fuses " + fused + "; only [BiasAdd] or [BiasAdd, "
              + "one of " + ACTIVATIONS + "] can be rewritten");
    }
    List<String> data = new ArrayList<>();
    List<String> control = new ArrayList<>();
    for (String in : node.getInputList()) {
      (in.startsWith("^") ? control : data).add(in);
    }
    long numArgs = node.getAttrOrDefault("num_args", AttrValue.newBuilder().setI(1).build()).getI();
    if (data.size() != 3 || numArgs != 1) {
      throw new IllegalArgumentException(where + ": node '" + name + "' (" + node.getOp() + " " + fused
          + ") should have 3 data inputs (x, weights, bias) and num_args 1, has " + data.size() + " and " + numArgs);
    }
    String activation = fused.size() == 2 ? fused.get(1) : null;
    String baseName = unique(name + BASE_SUFFIX, taken, where);
    String biasName = activation == null ? name : unique(name + BIAS_SUFFIX, taken, where);

    NodeDef.Builder base = NodeDef.newBuilder().setName(baseName).setOp(baseOp)
        .addInput(data.get(0)).addInput(data.get(1)).addAllInput(control);
    copyDeclared(node, base, opDefs.get(baseOp));
    NodeDef.Builder bias = NodeDef.newBuilder().setName(biasName).setOp("BiasAdd")
        .addInput(baseName).addInput(data.get(2));
    copyDeclared(node, bias, opDefs.get("BiasAdd"));

    List<NodeDef> out = new ArrayList<>();
    out.add(base.build());
    out.add(bias.build());
    if (activation != null) {
      NodeDef.Builder act = NodeDef.newBuilder().setName(name).setOp(activation).addInput(biasName);
      copyDeclared(node, act, opDefs.get(activation));
      if (activation.equals("LeakyRelu") && node.containsAttr("leakyrelu_alpha")) {
        act.putAttr("alpha", node.getAttrOrThrow("leakyrelu_alpha"));
      }
      out.add(act.build());
    }
    return out;
  }

  private static void copyDeclared(NodeDef from, NodeDef.Builder to, OpDef def) {
    Set<String> declared = new HashSet<>();
    for (OpDef.AttrDef a : def.getAttrList()) {
      declared.add(a.getName());
    }
    from.getAttrMap().forEach((k, v) -> {
      if (declared.contains(k)) {
        to.putAttr(k, v);
      }
    });
  }

  private static String unique(String name, Set<String> taken, String where) {
    if (!taken.add(name)) {
      throw new IllegalArgumentException(where + ": cannot rewrite fused node, the name '" + name + "' is in use");
    }
    return name;
  }
}
