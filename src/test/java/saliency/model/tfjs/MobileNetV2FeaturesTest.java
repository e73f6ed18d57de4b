package saliency.model.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import saliency.model.image.RgbImage;

/**
 * The imported MobileNetV2 against TensorFlow.js: the same 224x224 inputs must give the class probabilities and
 * pooled features that {@code weights/reference/mobilenet_reference.js} computed with {@code @tensorflow/tfjs} (CPU
 * backend) and stored in {@code tfjs/mobilenet_reference.json}.
 *
 * <p>The inputs are the first three DUTS images by name, decoded by {@link TestImages}, stretched to 224x224 by
 * {@link Bilinear} and rounded to 8 bits, stored raw in {@code tfjs/mobilenet_inputs.u8.gz} ((3, 224, 224, 3) bytes);
 * both sides feed {@code q / 255} as float32, so their inputs are bit-identical.
 */
class MobileNetV2FeaturesTest {
  static final Path INPUTS = Path.of("src/test/resources/tfjs/mobilenet_inputs.u8.gz");
  static final Path REFERENCE = Path.of("src/test/resources/tfjs/mobilenet_reference.json");
  static final int PER_IMAGE = 224 * 224 * 3;

  private static MobileNetV2Features features;

  @BeforeAll
  static void open() throws IOException {
    features = MobileNetV2Features.open(Path.of("weights"), MobileNetV2Features.MAP_14X14X816, 2);
  }

  @AfterAll
  static void close() {
    if (features != null) {
      features.close();
    }
  }

  @Test
  void matchesTensorFlowJsOnThreeDutsImages() throws IOException {
    JsonObject ref = JsonParser.parseString(Files.readString(REFERENCE)).getAsJsonObject();
    JsonArray images = ref.getAsJsonArray("images");
    float[] input = readInputs(images.size());
    List<MobileNetV2Features.Features> out = features.extractResized(input, images.size());
    double worstProb = 0;
    double worstPooled = 0;
    for (int i = 0; i < images.size(); i++) {
      JsonObject img = images.get(i).getAsJsonObject();
      JsonArray probs = img.getAsJsonArray("probabilities");
      JsonArray pooled = img.getAsJsonArray("pooled");
      MobileNetV2Features.Features f = out.get(i);
      assertEquals(5, probs.size());
      double sum = 0;
      for (int k = 0; k < 5; k++) {
        worstProb = Math.max(worstProb, Math.abs(f.probabilities()[k] - probs.get(k).getAsDouble()));
        sum += f.probabilities()[k];
      }
      assertEquals(1.0, sum, 1e-5, "softmax sums to 1");
      assertEquals(MobileNetV2Features.POOLED_DIM, pooled.size());
      for (int k = 0; k < pooled.size(); k++) {
        worstPooled = Math.max(worstPooled, Math.abs(f.pooled()[k] - pooled.get(k).getAsDouble()));
      }
      assertEquals(14 * 14 * 816, f.spatial().length);
    }
    System.out.printf("max |p_java - p_tfjs| = %.3g, max |pooled_java - pooled_tfjs| = %.3g%n",
        worstProb, worstPooled);
    assertTrue(worstProb < 1e-4, "class probabilities differ from TensorFlow.js by " + worstProb);
    assertTrue(worstPooled < 1e-4, "pooled features differ from TensorFlow.js by " + worstPooled);
  }

  @Test
  void storedInputsAreTheFirstThreeDutsImagesStretchedTo224() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(TestImages.DUTS_IMAGES),
        "../shared/data/duts-tr-500 is absent; skipping the input provenance check");
    JsonArray images = JsonParser.parseString(Files.readString(REFERENCE)).getAsJsonObject().getAsJsonArray("images");
    List<Path> files = TestImages.firstDuts(images.size());
    float[] stored = readInputs(images.size());
    for (int i = 0; i < files.size(); i++) {
      assertEquals(images.get(i).getAsJsonObject().get("name").getAsString(), files.get(i).getFileName().toString());
      float[] mine = Bilinear.resize(TestImages.readRgb(files.get(i)), 224, 224);
      for (int k = 0; k < PER_IMAGE; k++) {
        assertEquals(stored[i * PER_IMAGE + k], mine[k], 0.5f / 255 + 1e-6f, files.get(i) + " value " + k);
      }
    }
  }

  @Test
  void batchOfImagesOfAnySizeGivesOneResultPerImageAndBatchingDoesNotChangeThem() {
    RgbImage a = gradient(300, 200, 0);
    RgbImage b = gradient(160, 240, 1);
    List<MobileNetV2Features.Features> both = features.extract(List.of(a, b));
    List<MobileNetV2Features.Features> onlyB = features.extract(List.of(b));
    assertEquals(2, both.size());
    for (int k = 0; k < MobileNetV2Features.POOLED_DIM; k++) {
      assertEquals(onlyB.get(0).pooled()[k], both.get(1).pooled()[k], 1e-4);
    }
    double diff = 0;
    for (int k = 0; k < MobileNetV2Features.POOLED_DIM; k++) {
      diff += Math.abs(both.get(0).pooled()[k] - both.get(1).pooled()[k]);
    }
    assertTrue(diff > 1.0, "different images give different features: " + diff);
  }

  @Test
  void listsSpatialMapsAndRejectsUnknownOnesAndBadShapes() throws IOException {
    List<MobileNetV2Features.SpatialMap> maps = features.spatialMaps();
    assertTrue(maps.contains(new MobileNetV2Features.SpatialMap(MobileNetV2Features.MAP_14X14X816, 14, 14, 816)), "" + maps);
    assertTrue(maps.contains(new MobileNetV2Features.SpatialMap(MobileNetV2Features.MAP_14X14X136, 14, 14, 136)), "" + maps);
    assertTrue(maps.contains(new MobileNetV2Features.SpatialMap(MobileNetV2Features.MAP_7X7X1792, 7, 7, 1792)), "" + maps);
    assertTrue(maps.contains(new MobileNetV2Features.SpatialMap(MobileNetV2Features.MAP_7X7X448, 7, 7, 448)), "" + maps);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MobileNetV2Features.open(Path.of("weights"), "MobilenetV2/no_such_layer", 1));
    assertTrue(e.getMessage().contains("no_such_layer"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> features.extractResized(new float[224 * 224 * 2], 1));
    NoSuchFileException missing = assertThrows(NoSuchFileException.class,
        () -> MobileNetV2Features.open(Path.of("no-such-weights"), MobileNetV2Features.MAP_7X7X1792, 1));
    assertTrue(missing.getMessage().contains("no-such-weights"), missing.getMessage());
  }

  /**
   * Writes {@link #INPUTS} from the first three DUTS images; run with
   * {@code mvn -o test -Dtest=MobileNetV2FeaturesTest#writeReferenceInputs -Dsaliency.writeReferenceInputs=true},
   * then {@code node weights/reference/mobilenet_reference.js} to refresh the reference.
   */
  @Test
  @EnabledIfSystemProperty(named = "saliency.writeReferenceInputs", matches = "true")
  void writeReferenceInputs() throws IOException {
    List<Path> files = TestImages.firstDuts(3);
    assertEquals(3, files.size());
    ByteBuffer buf = ByteBuffer.allocate(files.size() * PER_IMAGE);
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      for (float v : Bilinear.resize(TestImages.readRgb(f), 224, 224)) {
        buf.put((byte) Math.round(Math.min(1f, Math.max(0f, v)) * 255));
      }
      names.add(f.getFileName().toString());
    }
    Files.createDirectories(INPUTS.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(INPUTS))) {
      out.write(buf.array());
    }
    Files.writeString(INPUTS.resolveSibling("mobilenet_inputs.names"), String.join("\n", names) + "\n",
        StandardCharsets.UTF_8);
  }

  static float[] readInputs(int n) throws IOException {
    byte[] bytes;
    try (InputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(INPUTS)))) {
      bytes = in.readAllBytes();
    }
    assertEquals(n * PER_IMAGE, bytes.length, "size of " + INPUTS);
    float[] out = new float[n * PER_IMAGE];
    for (int i = 0; i < out.length; i++) {
      out[i] = Byte.toUnsignedInt(bytes[i]) / 255f;
    }
    return out;
  }

  private static RgbImage gradient(int w, int h, int variant) {
    float[] rgb = new float[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        rgb[i] = variant == 0 ? (float) x / w : (float) y / h;
        rgb[i + 1] = 0.5f;
        rgb[i + 2] = variant == 0 ? (float) y / h : ((x / 16 + y / 16) % 2);
      }
    }
    return new RgbImage(w, h, rgb);
  }
}
