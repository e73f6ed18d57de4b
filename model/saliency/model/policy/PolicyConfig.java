package saliency.model.policy;

import java.util.List;
import java.util.Objects;

/**
 * Sizes and runtime settings of a {@link PolicyNetwork}; an immutable value.
 *
 * @param imageSize input side S in pixels; images are (S, S, 3) floats in [0,1], resized by the caller
 * @param vocabSize number of token ids (82 for 64 coordinate bins)
 * @param maxLen completion length T_max in tokens, {@code <end>} included; also the fixed loss normalizer
 * @param encoderChannels output channels of the stride-2 3x3 convolutions (each halves the side)
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
    boolean graphOptimizer) {

  public PolicyConfig {
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
    int div = 1 << encoderChannels.size();
    if (imageSize % div != 0) {
      throw new IllegalArgumentException(
          "imageSize " + imageSize + " must be divisible by 2^" + encoderChannels.size() + " (encoder layers)");
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

  /** Side of the encoder's output grid. */
  public int gridSize() {
    return imageSize >> encoderChannels.size();
  }

  public PolicyConfig withImageSize(int s) {
    return new PolicyConfig(s, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize, attentionSize,
        headHidden, device, intraOpThreads, interOpThreads, seed, padId, endId, graphOptimizer);
  }

  public PolicyConfig withThreads(int intra, int inter) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize,
        attentionSize, headHidden, device, intra, inter, seed, padId, endId, graphOptimizer);
  }

  public PolicyConfig withDevice(String d) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize,
        attentionSize, headHidden, d, intraOpThreads, interOpThreads, seed, padId, endId, graphOptimizer);
  }

  public PolicyConfig withSeed(long s) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize,
        attentionSize, headHidden, device, intraOpThreads, interOpThreads, s, padId, endId, graphOptimizer);
  }

  public PolicyConfig withGraphOptimizer(boolean on) {
    return new PolicyConfig(imageSize, vocabSize, maxLen, encoderChannels, decoderHidden, embeddingSize,
        attentionSize, headHidden, device, intraOpThreads, interOpThreads, seed, padId, endId, on);
  }

  private static void positive(String field, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + v);
    }
  }
}
