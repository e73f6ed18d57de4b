package saliency.model.policy;

import java.util.List;
import java.util.Objects;

/**
 * Sizes and runtime settings of a {@link PolicyNetwork}; an immutable value.
 *
 * @param imageSize input side S in pixels; images are (S, S, 3) floats in [0,1], resized by the caller (with the
 *     {@code mobilenet_v2} encoder the network never sees pixels: S is only the resolution at which the caller renders
 *     and rewards masks)
 * @param vocabSize number of token ids (82 for 64 coordinate bins)
 * @param maxLen completion length T_max in tokens, {@code <end>} included; also the fixed loss normalizer
 * @param encoderChannels {@code conv}: output channels of the stride-2 3x3 convolutions (each halves the side);
 *     {@code mobilenet_v2}: output channels of the learned projection over the frozen features, a 1x1 convolution
 *     then stride-1 3x3 convolutions, each followed by ReLU. The last entry is the grid's channel width either way
 * @param decoderHidden GRU hidden size
 * @param embeddingSize token embedding size
 * @param attentionSize size of attention keys, values and queries over the grid cells
 * @param headHidden hidden units of the confidence head MLP
 * @param device TensorFlow device for every op, {@code /CPU:0} or {@code /GPU:0}
 * @param intraOpThreads threads inside one op (ConfigProto intra_op_parallelism_threads)
 * @param interOpThreads threads across independent ops (ConfigProto inter_op_parallelism_threads)
 * @param seed seed of the Java-side weight initialization
 * @param padId id of {@code <pad>}; never emitted by the policy (its logit is masked)
 * @param endId id of {@code <end>}; sampling forces {@code <pad>} after it
 * @param graphOptimizer run TensorFlow's Grappler graph optimizer (off by default: on a CPU it changed step times by
 *     less than the run-to-run noise while adding 10-40 s to the first calls of this unrolled graph)
 * @param encoder {@link #CONV} (convolutions trained from scratch on (N, S, S, 3) images) or {@link #MOBILENET_V2}
 *     (the image input takes precomputed frozen MobileNetV2 features (N, G, G, C); their weights are not part of this
 *     network, only the projection is)
 * @param featureGrid {@code mobilenet_v2}: side G of the frozen feature map; 0 with {@code conv}
 * @param featureChannels {@code mobilenet_v2}: channels C of the frozen feature map; 0 with {@code conv}
 * @param groupContext images per example in the group context, 0 for none (the graph without it). With K > 0 each
 *     example's input is K images (its own first, then K-1 members of its group, its own repeated for an image
 *     without a group); the encoder runs on all K, and their pooled features, averaged and held constant in the
 *     gradient, gate the channels of the example's own grid through a learned projection
 */
public record PolicyConfig(
    int imageSize,
    int vocabSize,
    int maxLen,
    List<Integer> encoderChannels,
    int decoderHidden,
    int embeddingSize,
    int attentionSize,
    int headHidden,
    String device,
    int intraOpThreads,
    int interOpThreads,
    long seed,
    int padId,
    int endId,
    boolean graphOptimizer,
    String encoder,
    int featureGrid,
    int featureChannels,
    int groupContext) {

  /** Encoder trained from scratch: stride-2 convolutions over the (N, S, S, 3) image. */
  public static final String CONV = "conv";
  /** Frozen pretrained MobileNetV2 features (computed outside the network) and a learned projection. */
  public static final String MOBILENET_V2 = "mobilenet_v2";

  /** A {@code conv} configuration (the form before the encoder choice existed). */
  public PolicyConfig(int imageSize, int vocabSize, int maxLen, List<Integer> encoderChannels, int decoderHidden,
      int embeddingSize, int attentionSize, int headHidden, String device, int intraOpThreads, int interOpThreads,
      long seed, int padId, int endId, boolean graphOptimizer) {
    this(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize, attentionSize, headHidden, device,
        intraOpThreads, interOpThreads, seed, padId, endId, graphOptimizer, CONV, 0, 0, 0);
  }

  /** A configuration without a group context. */
  public PolicyConfig(int imageSize, int vocabSize, int maxLen, List<Integer> encoderChannels, int decoderHidden,
      int embeddingSize, int attentionSize, int headHidden, String device, int intraOpThreads, int interOpThreads,
      long seed, int padId, int endId, boolean graphOptimizer, String encoder, int featureGrid, int featureChannels) {
    this(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize, attentionSize, headHidden, device,
        intraOpThreads, interOpThreads, seed, padId, endId, graphOptimizer, encoder, featureGrid, featureChannels, 0);
  }

  public PolicyConfig {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(encoderChannels, "encoderChannels");
    Objects.requireNonNull(device, "device");
    encoderChannels = List.copyOf(encoderChannels);
    if (encoderChannels.isEmpty()) {
      throw new IllegalArgumentException("encoderChannels must not be empty");
    }
    for (int c : encoderChannels) {
      positive("encoderChannels element", c);
    }
    positive("imageSize", imageSize);
    positive("vocabSize", vocabSize);
    positive("maxLen", maxLen);
    positive("decoderHidden", decoderHidden);
    positive("embeddingSize", embeddingSize);
    positive("attentionSize", attentionSize);
    positive("headHidden", headHidden);
    positive("intraOpThreads", intraOpThreads);
    positive("interOpThreads", interOpThreads);
    if (groupContext < 0) {
      throw new IllegalArgumentException("groupContext must be >= 0, got " + groupContext);
    }
    switch (encoder) {
      case CONV -> {
        int div = 1 << encoderChannels.size();
        if (imageSize % div != 0) {
          throw new IllegalArgumentException(
              "imageSize " + imageSize + " must be divisible by 2^" + encoderChannels.size() + " (encoder layers)");
        }
        if (featureGrid != 0 || featureChannels != 0) {
          throw new IllegalArgumentException("featureGrid and featureChannels must be 0 with the conv encoder, got "
              + featureGrid + ", " + featureChannels);
        }
      }
      case MOBILENET_V2 -> {
        positive("featureGrid", featureGrid);
        positive("featureChannels", featureChannels);
      }
      default -> throw new IllegalArgumentException(
          "encoder must be " + CONV + " or " + MOBILENET_V2 + ", got '" + encoder + "'");
    }
    if (padId < 0 || padId >= vocabSize || endId < 0 || endId >= vocabSize || padId == endId) {
      throw new IllegalArgumentException("bad padId " + padId + " / endId " + endId + " for vocabSize " + vocabSize);
    }
    if (!device.matches("/(CPU|GPU):\\d+")) {
      throw new IllegalArgumentException("device must look like /CPU:0 or /GPU:0, got '" + device + "'");
    }
  }

  /** Defaults: 64x64 images, 64 coordinate bins (vocabulary 82), 40 tokens, 8x8 grid of 96 channels, GRU 192, CPU. */
  public static PolicyConfig defaults() {
    return new PolicyConfig(64, 82, 40, List.of(32, 64, 96), 192, 64, 64, 64, "/CPU:0", 1, 1, 1L, 0, 1, false);
  }

  /** Side of the encoder's output grid (the attention attends over its cells). */
  public int gridSize() {
    return isMobileNet() ? featureGrid : imageSize >> encoderChannels.size();
  }

  /** True for the frozen MobileNetV2 encoder. */
  public boolean isMobileNet() {
    return encoder.equals(MOBILENET_V2);
  }

  /** Per-example shape of the network's image-side input: (S, S, 3) for conv, (G, G, C) frozen features. */
  public int[] inputShape() {
    return isMobileNet() ? new int[] {featureGrid, featureGrid, featureChannels} : new int[] {imageSize, imageSize, 3};
  }

  /** Floats of one image's input, {@link #inputShape()}. */
  public int imageInputSize() {
    int[] d = inputShape();
    return d[0] * d[1] * d[2];
  }

  /** Images per example the network reads: {@link #groupContext()} with a group context, else 1. */
  public int imagesPerExample() {
    return Math.max(1, groupContext);
  }

  /** Floats per example of the image-side input: {@link #imagesPerExample()} images of {@link #imageInputSize()}. */
  public int inputSize() {
    return imagesPerExample() * imageInputSize();
  }

  /** True when the network reads a group context ({@link #groupContext()} > 0). */
  public boolean hasGroupContext() {
    return groupContext > 0;
  }

  /** This configuration with a group context of {@code images} images per example (0: none). */
  public PolicyConfig withGroupContext(int images) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize, attentionSize,
        headHidden, device, intraOpThreads, interOpThreads, seed, padId, endId, graphOptimizer, encoder, featureGrid,
        featureChannels, images);
  }

  /**
   * This configuration with the frozen MobileNetV2 encoder over a {@code grid x grid x channels} feature map and the
   * given projection widths (the last is the grid's channel width).
   */
  public PolicyConfig withMobileNetV2(int grid, int channels, List<Integer> projection) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, projection, decoderHidden, embeddingSize, attentionSize,
        headHidden, device, intraOpThreads, interOpThreads, seed, padId, endId, graphOptimizer, MOBILENET_V2, grid,
        channels, groupContext);
  }

  public PolicyConfig withImageSize(int s) {
    return new PolicyConfig(s, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize, attentionSize,
        headHidden, device, intraOpThreads, interOpThreads, seed, padId, endId, graphOptimizer, encoder,
        featureGrid, featureChannels, groupContext);
  }

  public PolicyConfig withThreads(int intra, int inter) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize,
        attentionSize, headHidden, device, intra, inter, seed, padId, endId, graphOptimizer, encoder,
        featureGrid, featureChannels, groupContext);
  }

  public PolicyConfig withDevice(String d) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize,
        attentionSize, headHidden, d, intraOpThreads, interOpThreads, seed, padId, endId, graphOptimizer, encoder,
        featureGrid, featureChannels, groupContext);
  }

  public PolicyConfig withSeed(long s) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize,
        attentionSize, headHidden, device, intraOpThreads, interOpThreads, s, padId, endId, graphOptimizer, encoder,
        featureGrid, featureChannels, groupContext);
  }

  public PolicyConfig withGraphOptimizer(boolean on) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize,
        attentionSize, headHidden, device, intraOpThreads, interOpThreads, seed, padId, endId, on, encoder, featureGrid,
        featureChannels, groupContext);
  }

  private static void positive(String field, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + v);
    }
  }
}
