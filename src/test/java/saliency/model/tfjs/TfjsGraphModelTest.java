package saliency.model.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The importer on a tiny TensorFlow.js graph model written here (fused conv + bias + relu with uint8-quantized
 * weights, fused depthwise conv + bias + relu6 with float16 weights, an int32 reshape target, a fused matmul with
 * uint16-quantized weights, weights split over two shards), checked against the same computation in plain Java.
 */
class TfjsGraphModelTest {
  static final int H = 5;
  static final int W = 5;
  static final int C = 2; // input channels
  static final int K = 3; // conv output channels
  static final int OUT = 4; // matmul outputs

  @TempDir Path dir;

  /** The weights of the tiny model, as the graph sees them after dequantization. */
  record Weights(int[] q1, double scale1, double min1, float[] b1, float[] w2, float[] b2, int[] q3, double scale3,
                 double min3, float[] b3) {
    float w1(int i) {
      return (float) (q1[i] * scale1 + min1);
    }

    float w3(int i) {
      return (float) (q3[i] * scale3 + min3);
    }
  }

  @Test
  void importedTinyModelComputesWhatPlainJavaComputes() throws IOException {
    Random rnd = new Random(7);
    Weights wt = randomWeights(rnd);
    Path json = writeModel(wt, "Relu6", null);
    TfjsGraphModel model = TfjsGraphModel.load(json);
    assertEquals("x", model.inputs().get(0).name());
    assertEquals("[1, 5, 5, 2]", Arrays.toString(model.inputs().get(0).shape()));
    assertEquals(java.util.List.of("out"), model.outputs());
    assertTrue(model.graphDef().getNodeList().stream().noneMatch(n -> n.getOp().contains("Fused")),
        "fused ops rewritten");

    for (int trial = 0; trial < 3; trial++) {
      float[] x = new float[H * W * C];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (rnd.nextGaussian() * 2);
      }
      float[] expected = plainJava(x, wt);
      float[] got = new float[OUT];
      float[] dwGot = new float[3 * 3 * K];
      try (Graph g = model.toGraph(); Session s = new Session(g);
          TFloat32 in = TFloat32.tensorOf(Shape.of(1, H, W, C), DataBuffers.of(x, true, false));
          Result r = s.runner().feed("x", in).fetch("out").fetch("dw").run()) {
        r.get(0).asRawTensor().data().asFloats().read(got);
        r.get(1).asRawTensor().data().asFloats().read(dwGot);
      }
      float[] dwExpected = depthwise(conv(x, wt), wt);
      int clampedHigh = 0;
      int clampedLow = 0;
      for (int i = 0; i < dwExpected.length; i++) {
        assertEquals(dwExpected[i], dwGot[i], 1e-4, "depthwise output " + i);
        clampedHigh += dwExpected[i] == 6f ? 1 : 0;
        clampedLow += dwExpected[i] == 0f ? 1 : 0;
      }
      assertTrue(clampedHigh > 0 && clampedLow > 0, "relu6 clamps both ways in this trial");
      for (int j = 0; j < OUT; j++) {
        assertEquals(expected[j], got[j], 1e-4 * Math.max(1, Math.abs(expected[j])), "output " + j);
      }
    }
  }

  @Test
  void unknownOpIsAnErrorNamingTheNode() throws IOException {
    Path json = writeModel(randomWeights(new Random(1)), "Relu6", "NoSuchOpAnywhere");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfjsGraphModel.load(json));
    assertTrue(e.getMessage().contains("'mystery'") && e.getMessage().contains("NoSuchOpAnywhere"), e.getMessage());
  }

  @Test
  void unsupportedFusedPatternIsAnErrorNamingTheNode() throws IOException {
    Path json = writeModel(randomWeights(new Random(1)), "Prelu", null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfjsGraphModel.load(json));
    assertTrue(e.getMessage().contains("'dw'") && e.getMessage().contains("Prelu"), e.getMessage());
  }

  @Test
  void missingShardAndBadInputShapeAreClearErrors() throws IOException {
    Path json = writeModel(randomWeights(new Random(1)), "Relu6", null);
    TfjsGraphModel model = TfjsGraphModel.load(json);
    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> model.checkInputShape("x", 1, 5, 4, 2));
    assertTrue(shape.getMessage().contains("[1, 5, 5, 2]"), shape.getMessage());
    Files.delete(dir.resolve("group1-shard2of2.bin"));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TfjsGraphModel.load(json));
    assertTrue(e.getMessage().contains("group1-shard2of2.bin"), e.getMessage());
  }

  @Test
  void halfPrecisionDecodingCoversSpecialValues() {
    assertEquals(1.0f, TfjsWeights.halfToFloat((short) 0x3c00));
    assertEquals(-2.0f, TfjsWeights.halfToFloat((short) 0xc000));
    assertEquals(65504f, TfjsWeights.halfToFloat((short) 0x7bff));
    assertEquals(0x1p-24f, TfjsWeights.halfToFloat((short) 0x0001)); // smallest subnormal
    assertEquals(0x3ffp-24f, TfjsWeights.halfToFloat((short) 0x03ff)); // largest subnormal
    assertEquals(Float.NEGATIVE_INFINITY, TfjsWeights.halfToFloat((short) 0xfc00));
    assertTrue(Float.isNaN(TfjsWeights.halfToFloat((short) 0x7e00)));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(TfjsWeights.halfToFloat((short) 0x8000)));
  }

  // ---- the tiny model ----

  private static Weights randomWeights(Random rnd) {
    int[] q1 = new int[3 * 3 * C * K];
    for (int i = 0; i < q1.length; i++) {
      q1[i] = rnd.nextInt(256);
    }
    float[] b1 = {0.5f, -0.25f, 1f};
    float[] w2 = new float[3 * 3 * K];
    for (int i = 0; i < w2.length; i++) {
      w2[i] = (rnd.nextInt(129) - 64) / 32f; // exact in float16
    }
    float[] b2 = {0.125f, -0.5f, 0.75f};
    int[] q3 = new int[3 * 3 * K * OUT];
    for (int i = 0; i < q3.length; i++) {
      q3[i] = rnd.nextInt(65536);
    }
    float[] b3 = {0.1f, -0.2f, 0.3f, -0.4f};
    return new Weights(q1, 0.9 / 255, -0.45, b1, w2, b2, q3, 0.5 / 65535, -0.25, b3);
  }

  /** Writes model.json and two shards; {@code activation} is the depthwise node's fused activation. */
  private Path writeModel(Weights wt, String activation, String extraOp) throws IOException {
    ByteBuffer data = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    JsonArray specs = new JsonArray();
    // w1: uint8-quantized (3, 3, C, K)
    for (int q : wt.q1()) {
      data.put((byte) q);
    }
    specs.add(spec("w1", "float32", new long[] {3, 3, C, K}, quant("uint8", wt.scale1(), wt.min1())));
    for (float v : wt.b1()) {
      data.putFloat(v);
    }
    specs.add(spec("b1", "float32", new long[] {K}, null));
    // w2: float16 (3, 3, K, 1)
    for (float v : wt.w2()) {
      data.putShort(floatToHalfExact(v));
    }
    JsonObject f16 = new JsonObject();
    f16.addProperty("dtype", "float16");
    f16.addProperty("original_dtype", "float32");
    specs.add(spec("w2", "float32", new long[] {3, 3, K, 1}, f16));
    for (float v : wt.b2()) {
      data.putFloat(v);
    }
    specs.add(spec("b2", "float32", new long[] {K}, null));
    data.putInt(1).putInt(3 * 3 * K);
    specs.add(spec("flat_shape", "int32", new long[] {2}, null));
    for (int q : wt.q3()) {
      data.putShort((short) q);
    }
    specs.add(spec("w3", "float32", new long[] {3 * 3 * K, OUT}, quant("uint16", wt.scale3(), wt.min3())));
    for (float v : wt.b3()) {
      data.putFloat(v);
    }
    specs.add(spec("b3", "float32", new long[] {OUT}, null));
    byte[] all = Arrays.copyOf(data.array(), data.position());
    int cut = 37; // shards split mid-weight, as the converter does
    Files.write(dir.resolve("group1-shard1of2.bin"), Arrays.copyOfRange(all, 0, cut));
    Files.write(dir.resolve("group1-shard2of2.bin"), Arrays.copyOfRange(all, cut, all.length));

    JsonArray nodes = new JsonArray();
    JsonObject x = node("x", "Placeholder");
    x.getAsJsonObject("attr").add("dtype", type("DT_FLOAT"));
    JsonObject shape = new JsonObject();
    shape.add("shape", shapeProto(1, H, W, C));
    x.getAsJsonObject("attr").add("shape", shape);
    nodes.add(x);
    for (String c : new String[] {"w1", "b1", "w2", "b2", "flat_shape", "w3", "b3"}) {
      String dtype = c.equals("flat_shape") ? "DT_INT32" : "DT_FLOAT";
      JsonObject n = node(c, "Const");
      n.getAsJsonObject("attr").add("dtype", type(dtype));
      JsonObject tensor = new JsonObject();
      tensor.addProperty("dtype", dtype);
      tensor.add("tensorShape", new JsonObject());
      JsonObject value = new JsonObject();
      value.add("tensor", tensor);
      n.getAsJsonObject("attr").add("value", value);
      nodes.add(n);
    }
    JsonObject conv = node("conv", "_FusedConv2D", "x", "w1", "b1");
    convAttrs(conv, 1, true);
    conv.getAsJsonObject("attr").add("fused_ops", strings("BiasAdd", "Relu"));
    conv.getAsJsonObject("attr").add("epsilon", number("f", 0));
    nodes.add(conv);
    JsonObject dw = node("dw", "FusedDepthwiseConv2dNative", "conv", "w2", "b2");
    convAttrs(dw, 2, false);
    dw.getAsJsonObject("attr").add("fused_ops", strings("BiasAdd", activation));
    nodes.add(dw);
    JsonObject flat = node("flat", "Reshape", "dw", "flat_shape");
    flat.getAsJsonObject("attr").add("T", type("DT_FLOAT"));
    flat.getAsJsonObject("attr").add("Tshape", type("DT_INT32"));
    nodes.add(flat);
    JsonObject mm = node("out", "_FusedMatMul", "flat", "w3", "b3");
    mm.getAsJsonObject("attr").add("T", type("DT_FLOAT"));
    mm.getAsJsonObject("attr").add("transpose_a", bool(false));
    mm.getAsJsonObject("attr").add("transpose_b", bool(false));
    mm.getAsJsonObject("attr").add("num_args", number("i", 1));
    mm.getAsJsonObject("attr").add("epsilon", number("f", 0));
    mm.getAsJsonObject("attr").add("fused_ops", strings("BiasAdd"));
    nodes.add(mm);
    if (extraOp != null) {
      JsonObject odd = node("mystery", extraOp, "out");
      odd.getAsJsonObject("attr").add("T", type("DT_FLOAT"));
      nodes.add(odd);
    }

    JsonObject topology = new JsonObject();
    topology.add("node", nodes);
    topology.add("library", new JsonObject());
    JsonObject versions = new JsonObject();
    versions.addProperty("producer", 175);
    topology.add("versions", versions);
    topology.addProperty("someFieldTheParserDoesNotKnow", 3);
    JsonObject group = new JsonObject();
    JsonArray paths = new JsonArray();
    paths.add("group1-shard1of2.bin");
    paths.add("group1-shard2of2.bin");
    group.add("paths", paths);
    group.add("weights", specs);
    JsonArray manifest = new JsonArray();
    manifest.add(group);
    JsonObject root = new JsonObject();
    root.addProperty("format", "graph-model");
    root.addProperty("generatedBy", "test");
    root.addProperty("convertedBy", "test");
    root.add("modelTopology", topology);
    root.add("weightsManifest", manifest);
    Path json = dir.resolve("model.json");
    Files.writeString(json, root.toString(), StandardCharsets.UTF_8);
    return json;
  }

  private static JsonObject node(String name, String op, String... inputs) {
    JsonObject n = new JsonObject();
    n.addProperty("name", name);
    n.addProperty("op", op);
    if (inputs.length > 0) {
      JsonArray in = new JsonArray();
      for (String i : inputs) {
        in.add(i);
      }
      n.add("input", in);
    }
    n.addProperty("device", "/device:CPU:0");
    n.add("attr", new JsonObject());
    return n;
  }

  private static void convAttrs(JsonObject n, int stride, boolean conv2d) {
    JsonObject a = n.getAsJsonObject("attr");
    a.add("T", type("DT_FLOAT"));
    a.add("strides", ints(1, stride, stride, 1));
    a.add("dilations", ints(1, 1, 1, 1));
    a.add("padding", bytes("SAME"));
    a.add("data_format", bytes("NHWC"));
    a.add("num_args", number("i", 1));
    if (conv2d) {
      a.add("use_cudnn_on_gpu", bool(true));
      JsonObject empty = new JsonObject();
      empty.add("list", new JsonObject());
      a.add("explicit_paddings", empty);
    }
  }

  private static JsonObject spec(String name, String dtype, long[] shape, JsonObject quantization) {
    JsonObject s = new JsonObject();
    s.addProperty("name", name);
    JsonArray sh = new JsonArray();
    for (long d : shape) {
      sh.add(d);
    }
    s.add("shape", sh);
    s.addProperty("dtype", dtype);
    if (quantization != null) {
      s.add("quantization", quantization);
    }
    return s;
  }

  private static JsonObject quant(String dtype, double scale, double min) {
    JsonObject q = new JsonObject();
    q.addProperty("dtype", dtype);
    q.addProperty("scale", scale);
    q.addProperty("min", min);
    return q;
  }

  private static JsonObject type(String t) {
    JsonObject o = new JsonObject();
    o.addProperty("type", t);
    return o;
  }

  private static JsonObject bool(boolean b) {
    JsonObject o = new JsonObject();
    o.addProperty("b", b);
    return o;
  }

  private static JsonObject number(String field, long v) {
    JsonObject o = new JsonObject();
    if (field.equals("i")) {
      o.addProperty(field, Long.toString(v));
    } else {
      o.addProperty(field, v);
    }
    return o;
  }

  private static JsonObject bytes(String s) {
    JsonObject o = new JsonObject();
    o.addProperty("s", Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
    return o;
  }

  private static JsonObject strings(String... ss) {
    JsonArray arr = new JsonArray();
    for (String s : ss) {
      arr.add(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
    }
    JsonObject list = new JsonObject();
    list.add("s", arr);
    JsonObject o = new JsonObject();
    o.add("list", list);
    return o;
  }

  private static JsonObject ints(long... vs) {
    JsonArray arr = new JsonArray();
    for (long v : vs) {
      arr.add(Long.toString(v));
    }
    JsonObject list = new JsonObject();
    list.add("i", arr);
    JsonObject o = new JsonObject();
    o.add("list", list);
    return o;
  }

  private static JsonObject shapeProto(long... dims) {
    JsonArray arr = new JsonArray();
    for (long d : dims) {
      JsonObject dim = new JsonObject();
      dim.addProperty("size", Long.toString(d));
      arr.add(dim);
    }
    JsonObject s = new JsonObject();
    s.add("dim", arr);
    return s;
  }

  /** Float16 bits of a float that float16 holds exactly (normal numbers and zero only). */
  private static short floatToHalfExact(float v) {
    if (v == 0f) {
      return 0;
    }
    int bits = Float.floatToIntBits(v);
    int sign = (bits >>> 16) & 0x8000;
    int exp = ((bits >>> 23) & 0xff) - 112;
    int mant = bits & 0x7fffff;
    if (exp <= 0 || exp >= 31 || (mant & 0x1fff) != 0) {
      throw new IllegalArgumentException(v + " is not an exact normal float16");
    }
    return (short) (sign | (exp << 10) | (mant >>> 13));
  }

  // ---- the same computation in plain Java ----

  private static float[] plainJava(float[] x, Weights wt) {
    float[] dw = depthwise(conv(x, wt), wt); // (3, 3, K), flattened row-major as Reshape does
    float[] out = new float[OUT];
    for (int j = 0; j < OUT; j++) {
      double s = wt.b3()[j];
      for (int i = 0; i < dw.length; i++) {
        s += dw[i] * wt.w3(i * OUT + j);
      }
      out[j] = (float) s;
    }
    return out;
  }

  /** SAME 3x3 conv, stride 1 (pad 1), + bias, relu: (H, W, C) -> (H, W, K). */
  private static float[] conv(float[] x, Weights wt) {
    float[] y = new float[H * W * K];
    for (int r = 0; r < H; r++) {
      for (int c = 0; c < W; c++) {
        for (int o = 0; o < K; o++) {
          double s = wt.b1()[o];
          for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
              int rr = r + ky - 1;
              int cc = c + kx - 1;
              if (rr < 0 || rr >= H || cc < 0 || cc >= W) {
                continue;
              }
              for (int i = 0; i < C; i++) {
                s += x[(rr * W + cc) * C + i] * wt.w1(((ky * 3 + kx) * C + i) * K + o);
              }
            }
          }
          y[(r * W + c) * K + o] = (float) Math.max(0, s);
        }
      }
    }
    return y;
  }

  /** SAME 3x3 depthwise conv, stride 2 on 5x5 (out 3x3, pad 1 before), + bias, relu6: (5, 5, K) -> (3, 3, K). */
  private static float[] depthwise(float[] x, Weights wt) {
    float[] y = new float[3 * 3 * K];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < K; k++) {
          double s = wt.b2()[k];
          for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
              int rr = 2 * r + ky - 1;
              int cc = 2 * c + kx - 1;
              if (rr < 0 || rr >= H || cc < 0 || cc >= W) {
                continue;
              }
              s += x[(rr * W + cc) * K + k] * wt.w2()[(ky * 3 + kx) * K + k];
            }
          }
          y[(r * 3 + c) * K + k] = (float) Math.min(6, Math.max(0, s));
        }
      }
    }
    return y;
  }
}
