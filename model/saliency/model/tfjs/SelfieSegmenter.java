package saliency.model.tfjs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import saliency.model.image.RgbImage;

/**
 * MediaPipe Selfie Segmentation (imported from its TensorFlow.js graph model) as a saliency map: an image of any size
 * in, a per-pixel foreground probability in [0,1] at the image's size out.
 *
 * <p>The instance owns its graph and session and is thread-confined; close it to free the native memory. The image
 * is stretched to 256x256 with {@link Bilinear}, and the 256x256 sigmoid mask is resized back the same way.
 */
public final class SelfieSegmenter implements AutoCloseable {
  /** The folder under the weights root. */
  public static final String MODEL_DIR = "selfie";
  public static final String MODEL_FILE = "selfie.json";
  public static final int INPUT_SIZE = 256;
  static final String INPUT = "input_1"; // (1, 256, 256, 3) RGB in [0,1]
  static final String OUTPUT = "activation_10"; // (1, 256, 256, 1) sigmoid mask

  private final TfjsGraphModel model;
  private final Graph graph;
  private final Session session;

  private SelfieSegmenter(TfjsGraphModel model, int intraOpThreads) {
    this.model = Objects.requireNonNull(model, "model");
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = TensorFlow's default): " + intraOpThreads);
    }
    this.graph = model.toGraph();
    try {
      graph.operationOrThrow(INPUT);
      graph.operationOrThrow(OUTPUT);
      this.session = new Session(graph, MobileNetV2Features.sessionConfig(intraOpThreads));
    } catch (RuntimeException e) {
      graph.close();
      throw new IllegalArgumentException(model.source() + ": not the selfie segmentation graph: " + e.getMessage(), e);
    }
  }

  /** Opens the model from {@link WeightsLocation#root()} with TensorFlow's default threads. */
  public static SelfieSegmenter open() throws IOException {
    return open(WeightsLocation.root(), 0);
  }

  /** Opens the model under {@code weightsRoot/selfie/}; {@code intraOpThreads} 0 leaves TensorFlow's default. */
  public static SelfieSegmenter open(Path weightsRoot, int intraOpThreads) throws IOException {
    Path json = WeightsLocation.modelFile(weightsRoot, MODEL_DIR, MODEL_FILE);
    return new SelfieSegmenter(TfjsGraphModel.load(json), intraOpThreads);
  }

  /** The saliency map of {@code image}: (H, W) row-major at the image's size, values in [0,1]. */
  public double[] segment(RgbImage image) {
    Objects.requireNonNull(image, "image");
    float[] in = image.width() == INPUT_SIZE && image.height() == INPUT_SIZE
        ? image.rgb() : Bilinear.resize(image, INPUT_SIZE, INPUT_SIZE);
    float[] mask = segmentResized(in);
    float[] full = image.width() == INPUT_SIZE && image.height() == INPUT_SIZE
        ? mask : Bilinear.resize(mask, INPUT_SIZE, INPUT_SIZE, 1, image.width(), image.height());
    double[] out = new double[full.length];
    for (int i = 0; i < full.length; i++) {
      out[i] = Math.min(1.0, Math.max(0.0, full[i]));
    }
    return out;
  }

  /** The raw 256x256 mask (row-major) of an input already at 256x256: {@code input} is (256, 256, 3) in [0,1]. */
  public float[] segmentResized(float[] input) {
    Objects.requireNonNull(input, "input");
    long[] shape = {1, INPUT_SIZE, INPUT_SIZE, 3}; // (1, 256, 256, 3)
    if (input.length != INPUT_SIZE * INPUT_SIZE * 3) {
      throw new IllegalArgumentException("input length " + input.length + " is not 256x256x3");
    }
    model.checkInputShape(INPUT, shape);
    float[] mask = new float[INPUT_SIZE * INPUT_SIZE];
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(input, true, false));
        Result r = session.runner().feed(INPUT, x).fetch(OUTPUT).run()) {
      MobileNetV2Features.read(r.get(0), mask, OUTPUT); // (1, 256, 256, 1)
    }
    return mask;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
