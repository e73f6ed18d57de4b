package saliency.actors.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import saliency.model.bench.PolicyThroughput;
import saliency.model.bench.ProcessStats;
import saliency.model.image.RgbImage;
import saliency.model.policy.PolicyConfig;
import saliency.model.policy.PolicyNetwork;
import saliency.model.tfjs.MobileNetV2Features;
import saliency.model.tfjs.WeightsLocation;
import saliency.model.train.FeatureCache;
import saliency.model.train.TrainSettings;

/** {@code bench-policy}: policy sampling and training throughput and peak memory; holds no state between runs. */
@Command(
    name = "bench-policy",
    mixinStandardHelpOptions = true,
    description = "Measures policy sampling and gradient throughput, SFT step time and peak memory.")
public final class BenchPolicyCommand implements Callable<Integer> {
  @Option(names = "--batch", defaultValue = "16", description = "Batch for sampling and policy gradients.")
  int batch;

  @Option(names = "--sft-batch", defaultValue = "32", description = "Batch for the SFT step timing.")
  int sftBatch;

  @Option(names = "--threads", defaultValue = "1", description = "TensorFlow intra-op threads.")
  int threads;

  @Option(names = "--inter-threads", defaultValue = "1", description = "TensorFlow inter-op threads.")
  int interThreads;

  @Option(names = "--image-size", defaultValue = "64", description = "Input side in pixels.")
  int imageSize;

  @Option(names = "--seconds", defaultValue = "10", description = "Measuring time per phase.")
  double seconds;

  @Option(names = "--device", defaultValue = "/CPU:0", description = "TensorFlow device, /CPU:0 or /GPU:0.")
  String device;

  @Option(names = "--grappler", description = "Enable TensorFlow's Grappler graph optimizer.")
  boolean grappler;

  @Option(names = "--describe", description = "Print every weight tensor's name, shape and flat offset.")
  boolean describe;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of weights and inputs.")
  long seed;

  @Option(names = "--encoder", defaultValue = "conv",
      description = "conv | mobilenet_v2 (inputs are then real frozen features of random images, via the feature cache)")
  String encoder;

  @Option(names = "--feature-map", defaultValue = TrainSettings.DEFAULT_FEATURE_MAP,
      description = "MobileNetV2 map of the mobilenet_v2 encoder (default ${DEFAULT-VALUE}).")
  String featureMap;

  @Option(names = "--projection", split = ",", defaultValue = "96",
      description = "Projection widths of the mobilenet_v2 encoder: 1x1, then 3x3 convolutions (default ${DEFAULT-VALUE}).")
  List<Integer> projection;

  @Option(names = "--feature-batch", defaultValue = "16", description = "Images per frozen-feature extraction call.")
  int featureBatch;

  @Option(names = "--weights", description = "Weights folder (default: -Dsaliency.weights, else SALIENCY_WEIGHTS, "
      + "else weights/ in the working directory).")
  Path weights;

  @Override
  public Integer call() throws Exception {
    PolicyConfig cfg =
        PolicyConfig.defaults().withImageSize(imageSize).withThreads(threads, interThreads).withDevice(device)
            .withSeed(seed).withGraphOptimizer(grappler);
    boolean frozen = switch (encoder) {
      case PolicyConfig.CONV -> false;
      case PolicyConfig.MOBILENET_V2 -> true;
      default -> throw new IllegalArgumentException("--encoder must be conv or mobilenet_v2, got '" + encoder + "'");
    };
    if (frozen) {
      MobileNetV2Features.SpatialMap m = MobileNetV2Features.knownMap(featureMap);
      cfg = cfg.withMobileNetV2(m.height(), m.channels(), projection);
    }
    Random rnd = new Random(seed);
    FeatureCache cache = frozen
        ? FeatureCache.mobileNetV2(weights == null ? WeightsLocation.root() : weights, featureMap, threads,
            FeatureCache.DEFAULT_MAX_BYTES)
        : null;
    long t0 = System.nanoTime();
    try (cache; PolicyNetwork net = PolicyNetwork.create(cfg)) {
      System.out.printf("config: %s%n", cfg);
      System.out.printf("parameters: %d (build %.2f s)%n", net.parameterCount(), (System.nanoTime() - t0) / 1e9);
      if (describe) {
        net.describeParameters().forEach(line -> System.out.println("  " + line));
      }
      float[] images = frozen ? frozenInputs(cache, rnd, batch, "b") : PolicyThroughput.randomImages(rnd, batch,
          imageSize);
      PolicyThroughput pt = new PolicyThroughput(net, images, batch, seed);
      PolicyThroughput.Measure m = pt.sampling(seconds);
      System.out.printf("sample: batch %d, %d calls in %.2f s: %.1f samples/s, %.1f ms/call, mean length %.1f tokens%n",
          batch, m.calls(), m.seconds(), m.samplesPerSecond(), m.millisPerCall(), m.meanTokens());
      m = pt.gradients(seconds);
      System.out.printf("policyGradients: batch %d, %d calls in %.2f s: %.1f samples/s, %.1f ms/call%n", batch,
          m.calls(), m.seconds(), m.samplesPerSecond(), m.millisPerCall());
      float[] sftImages = frozen ? frozenInputs(cache, rnd, sftBatch, "s")
          : PolicyThroughput.randomImages(rnd, sftBatch, imageSize);
      m = pt.sftSteps(sftImages, sftBatch, seconds);
      System.out.printf("sft step: batch %d, %d steps in %.2f s: %.1f ms/step, %.2f steps/s (last loss %.3f)%n",
          sftBatch, m.calls(), m.seconds(), m.millisPerCall(), m.calls() / m.seconds(), m.lastLoss());
      if (frozen) {
        System.out.println("feature cache: " + cache.stats());
      }
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    System.out.printf("memory: VmHWM %s, VmRSS %s, JVM heap used %.1f MiB committed %.1f MiB max %.1f MiB%n",
        ProcessStats.procStatus("VmHWM"), ProcessStats.procStatus("VmRSS"), heap.getUsed() / 1048576.0,
        heap.getCommitted() / 1048576.0, heap.getMax() / 1048576.0);
    return 0;
  }

  /**
   * Frozen features of {@code n} random 300x400 images (DUTS-like size) through the cache: prints the cold extraction
   * time (batches of --feature-batch) and the warm lookup time, and returns the stacked (n, G, G, C) input.
   */
  private float[] frozenInputs(FeatureCache cache, Random rnd, int n, String prefix) {
    List<String> names = new ArrayList<>(n);
    List<RgbImage> imgs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(prefix + i);
      imgs.add(new RgbImage(400, 300, randomPixels(rnd, 400 * 300 * 3)));
    }
    cache.features(List.of("warm-up"), List.of(new RgbImage(400, 300, randomPixels(rnd, 400 * 300 * 3))));
    long start = System.nanoTime();
    List<float[]> f = new ArrayList<>(n);
    for (int from = 0; from < n; from += featureBatch) {
      int to = Math.min(n, from + featureBatch);
      f.addAll(cache.features(names.subList(from, to), imgs.subList(from, to)));
    }
    double coldMs = (System.nanoTime() - start) / 1e6 / n;
    int warmRounds = 5;
    start = System.nanoTime();
    for (int r = 0; r < warmRounds; r++) {
      cache.features(names, imgs);
    }
    double warmUs = (System.nanoTime() - start) / 1e3 / (n * (double) warmRounds);
    System.out.printf("frozen features (%s, %d images of 400x300, batch %d): cold %.2f ms/image (%.1f images/s), "
        + "warm cache %.1f us/image%n", featureMap, n, featureBatch, coldMs, 1000 / coldMs, warmUs);
    int per = f.get(0).length;
    float[] out = new float[n * per];
    for (int i = 0; i < n; i++) {
      System.arraycopy(f.get(i), 0, out, i * per, per);
    }
    return out;
  }

  private static float[] randomPixels(Random rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextFloat();
    }
    return x;
  }
}
