package saliency.model.tfjs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A TensorFlow.js graph model ({@code model.json} plus binary weight shards) converted to a TensorFlow
 * {@link GraphDef}; immutable, so it can be shared and imported into any number of {@link Graph}s.
 *
 * <p>Loading parses {@code modelTopology} with protobuf's JSON parser (unknown fields ignored), fills every
 * {@code Const} node from the weights manifest (see {@link TfjsWeights}), rewrites the TensorFlow.js fused ops into
 * core ops (see {@link FusedOps}), clears device placements, and checks that every remaining op is one this
 * TensorFlow build provides. Problems are reported with the file and node name.
 */
public final class TfjsGraphModel {
  /** A graph input: a {@code Placeholder} node, its type and its shape ({@code -1} for an unknown dimension). */
  public record Input(String name, DataType dtype, long[] shape) {
    public Input {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dtype, "dtype");
      shape = shape == null ? null : shape.clone();
    }

    /** The declared shape, or null when the placeholder has no shape. */
    @Override
    public long[] shape() {
      return shape == null ? null : shape.clone();
    }

    @Override
    public String toString() {
      return name + " " + dtype + " " + (shape == null ? "?" : Arrays.toString(shape));
    }
  }

  private final Path source;
  private final GraphDef graphDef;
  private final List<Input> inputs;
  private final List<String> outputs;

  private TfjsGraphModel(Path source, GraphDef graphDef, List<Input> inputs, List<String> outputs) {
    this.source = Objects.requireNonNull(source, "source");
    this.graphDef = Objects.requireNonNull(graphDef, "graphDef");
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  /**
   * Reads {@code modelJson} and the shards it lists (relative to its folder).
   *
   * @throws NoSuchFileException when the model file or a shard is missing (the message names the path)
   * @throws IllegalArgumentException when the content is malformed or uses an op this importer cannot provide
   */
  public static TfjsGraphModel load(Path modelJson) throws IOException {
    Objects.requireNonNull(modelJson, "modelJson");
    if (!Files.isRegularFile(modelJson)) {
      throw new NoSuchFileException(modelJson.toAbsolutePath().toString(), null, "TensorFlow.js model file not found");
    }
    String where = modelJson.toString();
    JsonObject root;
    try {
      root = JsonParser.parseString(Files.readString(modelJson, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage(), e);
    }
    JsonElement format = root.get("format");
    if (format != null && !format.getAsString().equals("graph-model")) {
      throw new IllegalArgumentException(where + ": format is '" + format.getAsString() + "', not graph-model");
    }
    if (root.has("modelInitializer")) {
      throw new IllegalArgumentException(where + ": models with a modelInitializer graph are not supported");
    }
    JsonObject topology = root.getAsJsonObject("modelTopology");
    if (topology == null || !topology.has("node")) {
      throw new IllegalArgumentException(where + ": no modelTopology.node (not a graph model)");
    }
    GraphDef.Builder graph = GraphDef.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(topology.toString(), graph);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(where + ": modelTopology is not a GraphDef: " + e.getMessage(), e);
    }
    if (!root.has("weightsManifest")) {
      throw new IllegalArgumentException(where + ": no weightsManifest");
    }
    Path dir = modelJson.toAbsolutePath().getParent();
    Map<String, TensorProto> weights = TfjsWeights.decode(root.getAsJsonArray("weightsManifest"), dir, where);
    GraphDef def = convert(graph, weights, where);
    return new TfjsGraphModel(modelJson, def, placeholders(def), outputs(root, def));
  }

  /** The file this model was read from. */
  public Path source() {
    return source;
  }

  /** The converted graph: plain TensorFlow ops, weights as constants. */
  public GraphDef graphDef() {
    return graphDef;
  }

  /** The placeholders, in graph order. */
  public List<Input> inputs() {
    return inputs;
  }

  /** The output node names: the signature's outputs when the model has one, else the nodes nothing consumes. */
  public List<String> outputs() {
    return outputs;
  }

  /** A new graph holding this model's nodes under their own names; the caller owns (and closes) it. */
  public Graph toGraph() {
    Graph g = new Graph();
    try {
      g.importGraphDef(graphDef);
    } catch (RuntimeException e) {
      g.close();
      throw new IllegalArgumentException(source + ": TensorFlow rejected the converted graph: " + e.getMessage(), e);
    }
    return g;
  }

  /**
   * Checks a shape against input {@code name}'s declared shape (same rank, equal where declared, every dimension
   * positive) before anything runs: a mismatched shape can crash the native kernels instead of failing cleanly.
   */
  public void checkInputShape(String name, long... shape) {
    Input in = inputs.stream().filter(i -> i.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(source + ": no input named '" + name + "', inputs are " + inputs));
    for (long d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            source + ": input '" + name + "' given shape " + Arrays.toString(shape) + " with an empty dimension");
      }
    }
    long[] want = in.shape();
    if (want == null) {
      return;
    }
    boolean ok = want.length == shape.length;
    for (int i = 0; ok && i < want.length; i++) {
      ok = want[i] < 0 || want[i] == shape[i];
    }
    if (!ok) {
      throw new IllegalArgumentException(source + ": input '" + name + "' needs shape " + Arrays.toString(want)
          + " (-1 = any), got " + Arrays.toString(shape));
    }
  }

  private static GraphDef convert(GraphDef.Builder graph, Map<String, TensorProto> weights, String where) {
    Map<String, OpDef> opDefs = RegisteredOps.all();
    Set<String> taken = new HashSet<>();
    for (NodeDef n : graph.getNodeList()) {
      if (!taken.add(n.getName())) {
        throw new IllegalArgumentException(where + ": two nodes are named '" + n.getName() + "'");
      }
    }
    List<NodeDef> nodes = new ArrayList<>();
    for (NodeDef n : graph.getNodeList()) {
      if (FusedOps.isFused(n.getOp())) {
        for (NodeDef r : FusedOps.rewrite(n, opDefs, taken, where)) {
          nodes.add(r);
        }
        continue;
      }
      if (!opDefs.containsKey(n.getOp())) {
        throw new IllegalArgumentException(where + ": node '" + n.getName() + "' has op '" + n.getOp()
            + "', which neither this TensorFlow build nor the importer's rewrites provide");
      }
      NodeDef.Builder b = n.toBuilder().clearDevice();
      if (n.getOp().equals("Const")) {
        TensorProto value = weights.get(n.getName());
        if (value == null) {
          if (!hasInlineValue(n)) {
            throw new IllegalArgumentException(
                where + ": Const node '" + n.getName() + "' has no weight in weightsManifest and no inline value");
          }
        } else {
          DataType declared = n.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType();
          if (declared != DataType.DT_INVALID && declared != value.getDtype()) {
            throw new IllegalArgumentException(where + ": Const node '" + n.getName() + "' is " + declared
                + " but its weight decodes to " + value.getDtype());
          }
          b.putAttr("value", AttrValue.newBuilder().setTensor(value).build());
          b.putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build());
        }
      }
      nodes.add(b.build());
    }
    return graph.clearNode().addAllNode(nodes).build();
  }

  private static boolean hasInlineValue(NodeDef n) {
    TensorProto t = n.getAttrOrDefault("value", AttrValue.getDefaultInstance()).getTensor();
    return !t.getTensorContent().isEmpty() || t.getFloatValCount() > 0 || t.getIntValCount() > 0
        || t.getBoolValCount() > 0 || t.getInt64ValCount() > 0 || t.getStringValCount() > 0
        || t.getHalfValCount() > 0 || t.getDoubleValCount() > 0;
  }

  private static List<Input> placeholders(GraphDef def) {
    List<Input> out = new ArrayList<>();
    for (NodeDef n : def.getNodeList()) {
      if (!n.getOp().equals("Placeholder")) {
        continue;
      }
      DataType dtype = n.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType();
      long[] shape = null;
      if (n.containsAttr("shape")) {
        TensorShapeProto s = n.getAttrOrThrow("shape").getShape();
        if (!s.getUnknownRank()) {
          shape = s.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
        }
      }
      out.add(new Input(n.getName(), dtype, shape));
    }
    return out;
  }

  private static List<String> outputs(JsonObject root, GraphDef def) {
    JsonObject signature = root.has("signature") ? root.getAsJsonObject("signature")
        : root.has("userDefinedMetadata") && root.getAsJsonObject("userDefinedMetadata").has("signature")
            ? root.getAsJsonObject("userDefinedMetadata").getAsJsonObject("signature") : null;
    if (signature != null && signature.has("outputs")) {
      List<String> out = new ArrayList<>();
      for (String key : signature.getAsJsonObject("outputs").keySet()) {
        String name = key.contains(":") ? key.substring(0, key.lastIndexOf(':')) : key;
        out.add(name);
      }
      return out;
    }
    Set<String> consumed = new HashSet<>();
    for (NodeDef n : def.getNodeList()) {
      for (String in : n.getInputList()) {
        String s = in.startsWith("^") ? in.substring(1) : in;
        consumed.add(s.contains(":") ? s.substring(0, s.lastIndexOf(':')) : s);
      }
    }
    Set<String> out = new LinkedHashSet<>();
    for (NodeDef n : def.getNodeList()) {
      if (!consumed.contains(n.getName()) && !n.getOp().equals("Const") && !n.getOp().equals("NoOp")) {
        out.add(n.getName());
      }
    }
    return new ArrayList<>(out);
  }

  /** The ops registered in the loaded TensorFlow native library, read once. */
  static final class RegisteredOps {
    private static volatile Map<String, OpDef> all;

    private RegisteredOps() {}

    static Map<String, OpDef> all() {
      Map<String, OpDef> m = all;
      if (m == null) {
        Map<String, OpDef> fresh = new HashMap<>();
        for (OpDef d : TensorFlow.registeredOpList().getOpList()) {
          fresh.put(d.getName(), d);
        }
        m = Collections.unmodifiableMap(fresh);
        all = m;
      }
      return m;
    }
  }
}
