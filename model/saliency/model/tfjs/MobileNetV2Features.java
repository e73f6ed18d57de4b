package saliency.model.tfjs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import saliency.model.image.RgbImage;

/**
 * The frozen MobileNetV2 (depth 1.4, 224x224) imported from the nsfwjs TensorFlow.js model: pooled 1792-d
 * features, one chosen spatial feature map and the model's 5 class probabilities for a batch of images.
 *
 * <p>The instance owns its graph and session and is thread-confined (use one per thread or actor); close it to free
 * the native memory. Images are stretched to 224x224 with {@link Bilinear} (input RGB in [0,1]; the graph itself maps
 * it to [-1,1]).
 */
public final class MobileNetV2Features implements AutoCloseable {
  /** The folder under the weights root. */
  public static final String MODEL_DIR = "mobilenet_v2_mid";
  public static final String MODEL_FILE = "model.json";
  public static final int INPUT_SIZE = 224;
  public static final int POOLED_DIM = 1792;
  public static final int NUM_CLASSES = 5;

  /** The prefix of every MobileNetV2 node in this graph. */
  public static final String PREFIX =
      "StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/"
          + "StatefulPartitionedCall/predict/";
  static final String INPUT = "input"; // (N, 224, 224, 3) RGB in [0,1]
  static final String POOLED = PREFIX + "feature_vector/SpatialSqueeze"; // (N, 1792)
  static final String PROBABILITIES = "Identity"; // (N, 5) softmax
  /** (N, 14, 14, 816): the expansion of block 13, the last 14x14 map (default spatial map). */
  public static final String MAP_14X14X816 = "MobilenetV2/expanded_conv_13/expand/Relu6";
  /** (N, 14, 14, 136): the output of block 12 (residual sum), compact 14x14 features. */
  public static final String MAP_14X14X136 = "MobilenetV2/expanded_conv_12/add";
  /** (N, 7, 7, 1792): the last convolution, just before pooling. */
  public static final String MAP_7X7X1792 = "MobilenetV2/Conv_1/Relu6";
  /** (N, 7, 7, 448): the output of block 16 (before the last 1x1 convolution). */
  public static final String MAP_7X7X448 = "MobilenetV2/expanded_conv_16/project/BatchNorm/FusedBatchNormV3";

  /** (N, 28, 28, 288): the expansion of block 6, the last 28x28 map (the promptable segmenter's fine scale). */
  public static final String MAP_28X28X288 = "MobilenetV2/expanded_conv_6/expand/Relu6";

  /** The named maps above with their shapes, so a consumer can be sized without opening the graph. */
  public static final List<SpatialMap> KNOWN_MAPS = List.of(
      new SpatialMap(MAP_14X14X816, 14, 14, 816),
      new SpatialMap(MAP_14X14X136, 14, 14, 136),
      new SpatialMap(MAP_7X7X1792, 7, 7, 1792),
      new SpatialMap(MAP_7X7X448, 7, 7, 448),
      new SpatialMap(MAP_28X28X288, 28, 28, 288));

  /** The entry of {@link #KNOWN_MAPS} named {@code name} (with or without {@link #PREFIX}). */
  public static SpatialMap knownMap(String name) {
    String shortName = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
    return KNOWN_MAPS.stream().filter(m -> m.name().equals(shortName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not one of the named maps " + KNOWN_MAPS));
  }

  /** A spatial feature map of the graph: node name (without {@link #PREFIX}) and its per-image shape. */
  public record SpatialMap(String name, int height, int width, int channels) {
    public SpatialMap {
      Objects.requireNonNull(name, "name");
    }

    /** Floats per image. */
    public int size() {
      return height * width * channels;
    }
  }

  /** One image's outputs: pooled (1792), spatial map (H*W*C, row-major HWC) and class probabilities (5). */
  public record Features(float[] pooled, float[] spatial, float[] probabilities) {
    public Features {
      Objects.requireNonNull(pooled, "pooled");
      Objects.requireNonNull(spatial, "spatial");
      Objects.requireNonNull(probabilities, "probabilities");
    }
  }

  private final TfjsGraphModel model;
  private final Graph graph;
  private final Session session;
  private final SpatialMap spatialMap;
  private final String spatialNode;

  private MobileNetV2Features(TfjsGraphModel model, String spatialMap, int intraOpThreads) {
    this.model = Objects.requireNonNull(model, "model");
    Objects.requireNonNull(spatialMap, "spatialMap");
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = TensorFlow's default): " + intraOpThreads);
    }
    this.graph = model.toGraph();
    try {
      String shortName = spatialMap.startsWith(PREFIX) ? spatialMap.substring(PREFIX.length()) : spatialMap;
      this.spatialMap = spatialMaps(graph).stream().filter(m -> m.name().equals(shortName)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("'" + spatialMap
              + "' is not a spatial (N,H,W,C) map of " + model.source() + "; available: " + spatialMaps(graph)));
      this.spatialNode = PREFIX + shortName;
      this.session = new Session(graph, sessionConfig(intraOpThreads));
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** Opens the model from {@link WeightsLocation#root()} with the 14x14x816 map and TensorFlow's default threads. */
  public static MobileNetV2Features open() throws IOException {
    return open(WeightsLocation.root(), MAP_14X14X816, 0);
  }

  /**
   * Opens the model under {@code weightsRoot/mobilenet_v2_mid/}.
   *
   * @param spatialMap a node name from {@link #spatialMaps()} (with or without {@link #PREFIX})
   * @param intraOpThreads threads per kernel; 0 leaves TensorFlow's default (inter-op threads are then also default,
   *     else 1)
   */
  public static MobileNetV2Features open(Path weightsRoot, String spatialMap, int intraOpThreads) throws IOException {
    Path json = WeightsLocation.modelFile(weightsRoot, MODEL_DIR, MODEL_FILE);
    return new MobileNetV2Features(TfjsGraphModel.load(json), spatialMap, intraOpThreads);
  }

  /** The spatial map this instance returns. */
  public SpatialMap spatialMap() {
    return spatialMap;
  }

  /** Every rank-4 float map in the graph with a static per-image shape, in graph order. */
  public List<SpatialMap> spatialMaps() {
    return spatialMaps(graph);
  }

  /** Stretches each image to 224x224 and runs them as one batch; one {@link Features} per image, in order. */
  public List<Features> extract(List<RgbImage> images) {
    Objects.requireNonNull(images, "images");
    if (images.isEmpty()) {
      return List.of();
    }
    return extractResized(resized(images), images.size());
  }

  /**
   * The spatial map alone (H*W*C floats, row-major HWC, one array per image, in order): the graph runs only up to that
   * map, so an early map costs less than {@link #extract}.
   */
  public List<float[]> extractSpatial(List<RgbImage> images) {
    return extractConcatenated(images, List.of(spatialMap));
  }

  /**
   * Several named maps of each image in one pass: for image {@code i}, the concatenation of {@code maps} in order
   * (each H*W*C, row-major HWC). The graph runs only as far as the deepest map.
   */
  public List<float[]> extractConcatenated(List<RgbImage> images, List<SpatialMap> maps) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(maps, "maps");
    if (images.isEmpty()) {
      return List.of();
    }
    int n = images.size();
    float[] input = resized(images);
    long[] shape = {n, INPUT_SIZE, INPUT_SIZE, 3}; // (N, 224, 224, 3)
    model.checkInputShape(INPUT, shape);
    int per = 0;
    for (SpatialMap m : maps) {
      per += m.size();
    }
    float[][] fetched = new float[maps.size()][];
    Session.Runner run = session.runner();
    for (SpatialMap m : maps) {
      String node = PREFIX + (m.name().startsWith(PREFIX) ? m.name().substring(PREFIX.length()) : m.name());
      if (graph.operation(node) == null) {
        throw new IllegalArgumentException("'" + m.name() + "' is not a map of " + model.source());
      }
      run.fetch(node);
    }
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(input, true, false))) {
      run.feed(INPUT, x);
      try (Result r = run.run()) {
        for (int k = 0; k < maps.size(); k++) {
          fetched[k] = new float[n * maps.get(k).size()];
          read(r.get(k), fetched[k], maps.get(k).name());
        }
      }
    }
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] all = new float[per];
      int o = 0;
      for (int k = 0; k < maps.size(); k++) {
        int size = maps.get(k).size();
        System.arraycopy(fetched[k], i * size, all, o, size);
        o += size;
      }
      out.add(all);
    }
    return out;
  }

  private static float[] resized(List<RgbImage> images) {
    int per = INPUT_SIZE * INPUT_SIZE * 3;
    float[] batch = new float[images.size() * per];
    for (int i = 0; i < images.size(); i++) {
      RgbImage img = Objects.requireNonNull(images.get(i), "image " + i);
      float[] r = img.width() == INPUT_SIZE && img.height() == INPUT_SIZE
          ? img.rgb() : Bilinear.resize(img, INPUT_SIZE, INPUT_SIZE);
      System.arraycopy(r, 0, batch, i * per, per);
    }
    return batch;
  }

  /** Runs {@code n} images already at 224x224: {@code input} is (n, 224, 224, 3) RGB in [0,1]. */
  public List<Features> extractResized(float[] input, int n) {
    Objects.requireNonNull(input, "input");
    if (n <= 0 || (long) n * INPUT_SIZE * INPUT_SIZE * 3 != input.length) {
      throw new IllegalArgumentException("input length " + input.length + " is not n=" + n + " x 224x224x3");
    }
    long[] shape = {n, INPUT_SIZE, INPUT_SIZE, 3}; // (N, 224, 224, 3)
    model.checkInputShape(INPUT, shape);
    int spatialSize = spatialMap.size();
    float[] pooled = new float[n * POOLED_DIM];
    float[] spatial = new float[n * spatialSize];
    float[] probs = new float[n * NUM_CLASSES];
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(input, true, false));
        Result r = session.runner().feed(INPUT, x).fetch(POOLED).fetch(spatialNode).fetch(PROBABILITIES).run()) {
      read(r.get(0), pooled, POOLED);
      read(r.get(1), spatial, spatialNode);
      read(r.get(2), probs, PROBABILITIES);
    }
    List<Features> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Features(
          slice(pooled, i, POOLED_DIM), slice(spatial, i, spatialSize), slice(probs, i, NUM_CLASSES)));
    }
    return out;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  static ConfigProto sessionConfig(int intraOpThreads) {
    // own thread pools, not the process-wide inter-op pool the first session sizes (see PolicyNetwork)
    ConfigProto.Builder c = ConfigProto.newBuilder().setUsePerSessionThreads(true);
    if (intraOpThreads > 0) {
      c.setIntraOpParallelismThreads(intraOpThreads).setInterOpParallelismThreads(1);
    }
    return c.build();
  }

  static void read(Tensor t, float[] dst, String what) {
    if (t.shape().size() != dst.length) {
      throw new IllegalStateException(what + " returned shape " + t.shape() + ", expected " + dst.length + " values");
    }
    t.asRawTensor().data().asFloats().read(dst);
  }

  private static float[] slice(float[] all, int i, int size) {
    float[] s = new float[size];
    System.arraycopy(all, i * size, s, 0, size);
    return s;
  }

  private static List<SpatialMap> spatialMaps(Graph graph) {
    List<SpatialMap> out = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (!op.name().startsWith(PREFIX) || op.numOutputs() != 1 || op.type().equals("Const")
          || op.name().endsWith(FusedOps.BASE_SUFFIX) || op.name().endsWith(FusedOps.BIAS_SUFFIX)) {
        continue;
      }
      Output<?> o = op.output(0);
      Shape s = o.shape();
      if (s.isUnknown() || s.numDimensions() != 4 || s.size(1) <= 0 || s.size(2) <= 0 || s.size(3) <= 0
          || o.dataType() != org.tensorflow.proto.DataType.DT_FLOAT) {
        continue;
      }
      out.add(new SpatialMap(op.name().substring(PREFIX.length()), (int) s.size(1), (int) s.size(2), (int) s.size(3)));
    }
    return out;
  }
}
