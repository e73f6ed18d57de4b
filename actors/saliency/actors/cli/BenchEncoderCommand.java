package saliency.actors.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import saliency.model.tfjs.MobileNetV2Features;
import saliency.model.tfjs.SelfieSegmenter;
import saliency.model.tfjs.WeightsLocation;

/**
 * {@code bench-encoder}: milliseconds per image of the frozen pretrained models (MobileNetV2 features at 224 for
 * each batch size and thread count, per feature scale, the promptable segmenter's base and per-prompt cost, selfie
 * segmentation at 256); holds only its options.
 */
@Command(
    name = "bench-encoder",
    mixinStandardHelpOptions = true,
    description = "Time the frozen MobileNetV2 feature extractor (224x224) and the selfie segmenter (256x256).")
public final class BenchEncoderCommand implements Callable<Integer> {
  @Option(names = "--weights", description = "Weights folder (default: -Dsaliency.weights, else SALIENCY_WEIGHTS, "
      + "else weights/ in the working directory).")
  Path weights;

  @Option(names = "--batches", split = ",", defaultValue = "1,16", description = "MobileNetV2 batch sizes.")
  List<Integer> batches;

  @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Intra-op thread counts.")
  List<Integer> threads;

  @Option(names = "--images", defaultValue = "48",
      description = "Images timed per configuration after warm-up (MobileNetV2: images / batch runs, at least 1).")
  int images;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed warm-up runs per configuration.")
  int warmup;

  @Option(names = "--spatial-map", defaultValue = MobileNetV2Features.MAP_14X14X816,
      description = "MobileNetV2 spatial map fetched with the pooled features.")
  String spatialMap;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the random input images.")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (images <= 0 || warmup < 0) {
      throw new IllegalArgumentException("--images must be > 0 and --warmup >= 0");
    }
    if (weights == null) {
      weights = WeightsLocation.root();
    }
    WeightsLocation.modelFile(weights, MobileNetV2Features.MODEL_DIR, MobileNetV2Features.MODEL_FILE);
    WeightsLocation.modelFile(weights, SelfieSegmenter.MODEL_DIR, SelfieSegmenter.MODEL_FILE);
    Random rnd = new Random(seed);
    System.out.printf("%-24s input    batch threads  runs  ms/image       min      mean  images/s%n", "model");
    System.out.printf("(ms/image = median over runs of run time / batch)%n");
    for (int t : threads) {
      try (MobileNetV2Features net = MobileNetV2Features.open(weights, spatialMap, t)) {
        for (int b : batches) {
          float[] input = random(rnd, b * MobileNetV2Features.INPUT_SIZE * MobileNetV2Features.INPUT_SIZE * 3);
          for (int i = 0; i < warmup; i++) {
            net.extractResized(input, b);
          }
          double[] ms = new double[Math.max(1, (images + b - 1) / b)];
          for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            net.extractResized(input, b);
            ms[i] = (System.nanoTime() - start) / 1e6 / b;
          }
          print("mobilenetv2", "224x224", b, t, ms);
        }
      }
    }
    // per scale: the graph runs only as far as the deepest map fetched
    List<List<MobileNetV2Features.SpatialMap>> scales = List.of(
        List.of(MobileNetV2Features.knownMap(MobileNetV2Features.MAP_28X28X288)),
        List.of(MobileNetV2Features.knownMap(MobileNetV2Features.MAP_14X14X816)),
        List.of(MobileNetV2Features.knownMap(MobileNetV2Features.MAP_14X14X816),
            MobileNetV2Features.knownMap(MobileNetV2Features.MAP_28X28X288)));
    saliency.model.image.RgbImage img = new saliency.model.image.RgbImage(MobileNetV2Features.INPUT_SIZE,
        MobileNetV2Features.INPUT_SIZE, random(rnd, MobileNetV2Features.INPUT_SIZE * MobileNetV2Features.INPUT_SIZE * 3));
    for (int t : threads) {
      try (MobileNetV2Features net = MobileNetV2Features.open(weights, spatialMap, t)) {
        for (List<MobileNetV2Features.SpatialMap> maps : scales) {
          for (int i = 0; i < warmup; i++) {
            net.extractConcatenated(List.of(img), maps);
          }
          double[] ms = new double[images];
          for (int i = 0; i < images; i++) {
            long start = System.nanoTime();
            net.extractConcatenated(List.of(img), maps);
            ms[i] = (System.nanoTime() - start) / 1e6;
          }
          String name = maps.stream().map(m -> m.height() + "x" + m.width() + "x" + m.channels())
              .reduce((a, b) -> a + "+" + b).orElse("");
          print("mnv2 " + name, "224x224", 1, t, ms);
        }
      }
      // the promptable segmenter: its per-image base, then one prompt on a cached base
      try (saliency.model.segment.PromptSegmenter seg = saliency.model.segment.PromptSegmenter.create(seed, t)) {
        float[] f28 = random(rnd, 28 * 28 * 288);
        float[] f14 = random(rnd, 14 * 14 * 816);
        float[] prompt = saliency.model.segment.PromptSegmenter.promptChannels(new saliency.model.text.Answer.Prompt(
            new double[] {0.2, 0.2, 0.8, 0.8}, List.of(new double[] {0.5, 0.5}), new int[] {1}));
        float[] base = seg.base(f28, f14);
        double[] msBase = new double[images];
        double[] msPrompt = new double[images];
        for (int i = 0; i < images + warmup; i++) {
          long start = System.nanoTime();
          seg.base(f28, f14);
          long mid = System.nanoTime();
          seg.probabilities(base, prompt, 1);
          long end = System.nanoTime();
          if (i >= warmup) {
            msBase[i - warmup] = (mid - start) / 1e6;
            msPrompt[i - warmup] = (end - mid) / 1e6;
          }
        }
        print("seg base", "28x28", 1, t, msBase);
        print("seg prompt", "28x28", 1, t, msPrompt);
      }
    }
    for (int t : threads) {
      try (SelfieSegmenter seg = SelfieSegmenter.open(weights, t)) {
        float[] input = random(rnd, SelfieSegmenter.INPUT_SIZE * SelfieSegmenter.INPUT_SIZE * 3);
        for (int i = 0; i < warmup; i++) {
          seg.segmentResized(input);
        }
        double[] ms = new double[images];
        for (int i = 0; i < images; i++) {
          long start = System.nanoTime();
          seg.segmentResized(input);
          ms[i] = (System.nanoTime() - start) / 1e6;
        }
        print("selfie", "256x256", 1, t, ms);
      }
    }
    return 0;
  }

  /** One line: median, minimum and mean of the per-run milliseconds per image, and images/s at the median. */
  private static void print(String model, String input, int batch, int threads, double[] msPerImage) {
    double[] s = msPerImage.clone();
    Arrays.sort(s);
    double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    double mean = Arrays.stream(s).average().orElse(Double.NaN);
    System.out.printf("%-24s %-8s %5d %7d %5d %9.2f %9.2f %9.2f %9.1f%n", model, input, batch, threads, s.length,
        median, s[0], mean, 1000 / median);
  }

  private static float[] random(Random rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextFloat();
    }
    return x;
  }
}
