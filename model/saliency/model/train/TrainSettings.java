package saliency.model.train;

import java.util.List;
import java.util.Objects;
import saliency.model.policy.PolicyConfig;
import saliency.model.reward.RewardWeights;
import saliency.model.rl.AlgorithmName;
import saliency.model.rl.RlSettings;
import saliency.model.tfjs.MobileNetV2Features;

/**
 * Hyperparameters of SFT and RL training, mirroring the {@code saliency.train} HOCON keys one to one; immutable.
 *
 * @param imageSize model input resolution in pixels, images are stretched to it ({@code image-size}, 64)
 * @param bins coordinate bins per axis ({@code bins}, 64; 32 caps IoU near 0.90)
 * @param maxVertices most vertices per SFT target polygon ({@code max-vertices}, 16)
 * @param maxLen most completion tokens, {@code <end>} included; also the fixed loss normalizer T_max ({@code max-len}, 40)
 * @param sftSeconds wall-clock budget of the SFT phase ({@code sft-seconds})
 * @param rlSeconds wall-clock budget of the RL phase ({@code rl-seconds})
 * @param maxSteps hard cap on steps per phase, 0 for none; tests use it for determinism ({@code max-steps})
 * @param sftBatch images per SFT step ({@code sft-batch}, 32)
 * @param sftLearningRate Adam learning rate of SFT ({@code sft-learning-rate}, 3e-3)
 * @param rlBatch completions per RL step, prompts times group size ({@code rl-batch}, 32)
 * @param rlLearningRate Adam learning rate of RL ({@code rl-learning-rate}, 5e-5: at 2e-4 the pipeline's CGPO lost
 *     its polygons after an SFT warm start)
 * @param temperature sampling temperature of RL rollouts ({@code temperature}, 1.0)
 * @param rl the RL algorithm and its hyperparameters ({@code saliency.rl}: algo, group-size, confidence, kl-beta,
 *     head-weight, ...), read by both RL drivers
 * @param clipNorm global gradient-norm clip, 0 for none ({@code clip-norm}, 1.0)
 * @param rewardWeights weights of the IoU, S-measure, centroid and format terms ({@code reward})
 * @param evalImages held-out images evaluated after each phase ({@code eval-images})
 * @param evalSamples sampled masks per held-out image for sampled IoU and the mean map ({@code eval-samples}, 8)
 * @param intraOpThreads TensorFlow intra-op threads ({@code intra-op-threads}, 1)
 * @param seed seed of weights, data order and sampling ({@code seed})
 * @param encoder image encoder: {@code conv} (trained from scratch) or {@code mobilenet_v2} (frozen pretrained
 *     features of the original image at 224x224, cached per image, and a learned projection) ({@code encoder}, conv)
 * @param featureMap the MobileNetV2 map the {@code mobilenet_v2} encoder reads, one of
 *     {@link MobileNetV2Features#KNOWN_MAPS}; recorded for {@code conv} too but unused ({@code feature-map},
 *     {@link #DEFAULT_FEATURE_MAP})
 * @param answer the answer form: {@code polygon} ({@code <rg>} polygons, rasterized) or {@code prompt} (Seg-R1's
 *     box, points and labels, segmented by the run's frozen {@link saliency.model.segment.PromptSegmenter}; needs
 *     {@code mobilenet_v2}) ({@code answer}, polygon)
 */
public record TrainSettings(
    int imageSize,
    int bins,
    int maxVertices,
    int maxLen,
    double sftSeconds,
    double rlSeconds,
    int maxSteps,
    int sftBatch,
    double sftLearningRate,
    int rlBatch,
    double rlLearningRate,
    double temperature,
    RlSettings rl,
    double clipNorm,
    RewardWeights rewardWeights,
    int evalImages,
    int evalSamples,
    int intraOpThreads,
    long seed,
    String encoder,
    String featureMap,
    String answer) {

  /**
   * The MobileNetV2 map of the {@code mobilenet_v2} encoder unless {@code feature-map} says otherwise: the 14x14x816
   * expansion of block 13. After 60 s of SFT on duts-tr-500 it reached greedy IoU 0.36-0.37 (two runs) on 50 held-out
   * images, against 0.25 for 7x7x448, 0.13 for 14x14x136 and 0.38 for the conv encoder (same budget, similar step
   * counts); the larger cache entries (627 KiB per image) are the price.
   */
  public static final String DEFAULT_FEATURE_MAP = MobileNetV2Features.MAP_14X14X816;

  /** Answer form: {@code <rg>} polygons, rasterized. */
  public static final String POLYGON = "polygon";
  /** Answer form: Seg-R1 prompts (box, points, labels) through the promptable segmenter. */
  public static final String PROMPT = "prompt";

  /** Default RL learning rate; {@code saliency.learner.adam.lr} in application.conf holds the same value. */
  public static final double DEFAULT_RL_LEARNING_RATE = 5e-5;
  /**
   * Widths of the learned projection over the frozen features (a 1x1 convolution, then 3x3 ones): one 1x1 layer; an
   * added 3x3 layer (96, 96) reached only IoU 0.03 in the same 60 s of SFT.
   */
  public static final List<Integer> PROJECTION = List.of(96);

  /**
   * Settings with the {@code conv} encoder and polygon answers, and the RL settings' defaults but for the algorithm
   * (parsed by {@link AlgorithmName#parse}), group size, confidence, KL and head weights.
   */
  public TrainSettings(int imageSize, int bins, int maxVertices, int maxLen, double sftSeconds, double rlSeconds,
      int maxSteps, int sftBatch, double sftLearningRate, int rlBatch, double rlLearningRate, double temperature,
      String algo, int groupSize, String confidence, double klBeta, double headWeight, double clipNorm,
      RewardWeights rewardWeights, int evalImages, int evalSamples, int intraOpThreads, long seed) {
    this(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, maxSteps, sftBatch, sftLearningRate, rlBatch,
        rlLearningRate, temperature, RlSettings.defaults().withAlgo(AlgorithmName.parse(algo), confidence)
            .withGroupSize(groupSize).withWeights(klBeta, headWeight), clipNorm, rewardWeights,
        evalImages, evalSamples, intraOpThreads, seed, PolicyConfig.CONV, DEFAULT_FEATURE_MAP, POLYGON);
  }

  public TrainSettings {
    Objects.requireNonNull(answer, "answer");
    if (!answer.equals(POLYGON) && !answer.equals(PROMPT)) {
      throw new IllegalArgumentException("answer must be " + POLYGON + " or " + PROMPT + ", got '" + answer + "'");
    }
    if (answer.equals(PROMPT) && !PolicyConfig.MOBILENET_V2.equals(encoder)) {
      throw new IllegalArgumentException("answer " + PROMPT + " needs encoder " + PolicyConfig.MOBILENET_V2
          + " (the promptable segmenter reads its features), got '" + encoder + "'");
    }
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(featureMap, "featureMap");
    if (!encoder.equals(PolicyConfig.CONV) && !encoder.equals(PolicyConfig.MOBILENET_V2)) {
      throw new IllegalArgumentException(
          "encoder must be " + PolicyConfig.CONV + " or " + PolicyConfig.MOBILENET_V2 + ", got '" + encoder + "'");
    }
    featureMap = MobileNetV2Features.knownMap(featureMap).name(); // validates, drops the graph prefix
    Objects.requireNonNull(rl, "rl");
    int perPrompt = rl.algorithm().completionsPerPrompt(); // also checks that the settings suit the algorithm
    Objects.requireNonNull(rewardWeights, "rewardWeights");
    positive("image-size", imageSize);
    positive("bins", bins);
    positive("sft-batch", sftBatch);
    positive("rl-batch", rlBatch);
    positive("eval-samples", evalSamples);
    positive("intra-op-threads", intraOpThreads);
    if (maxVertices < 3) {
      throw new IllegalArgumentException("max-vertices must be at least 3, got " + maxVertices);
    }
    if (maxLen < 2 * maxVertices + 3) {
      throw new IllegalArgumentException(
          "max-len " + maxLen + " cannot hold one polygon of max-vertices " + maxVertices + " (needs "
              + (2 * maxVertices + 3) + ")");
    }
    if (sftSeconds < 0 || rlSeconds < 0 || maxSteps < 0 || evalImages < 0) {
      throw new IllegalArgumentException("budgets must be >= 0");
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    if (rlBatch % perPrompt != 0) {
      throw new IllegalArgumentException("rl-batch " + rlBatch + " must be a multiple of group-size " + perPrompt
          + " for " + rl.algo());
    }
  }

  private static void positive(String key, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + v);
    }
  }

  /** The defaults of {@code train}: finishes SFT + CGPO and both evaluations in under 5 minutes on 2 cores. */
  public static TrainSettings defaults() {
    return new TrainSettings(
        64, 64, 16, 40, 150, 90, 0, 32, 3e-3, 32, DEFAULT_RL_LEARNING_RATE, 1.0, RlSettings.defaults(), 1.0,
        RewardWeights.defaults(), 200, 8, 1, 1L, PolicyConfig.CONV, DEFAULT_FEATURE_MAP, POLYGON);
  }

  /**
   * The policy network's configuration for these settings (vocabulary of 18 + bins tokens, CPU, seeded); with
   * {@code mobilenet_v2} its input is the {@code feature-map} features and its encoder the {@link #PROJECTION}.
   */
  public PolicyConfig policyConfig() {
    PolicyConfig d = PolicyConfig.defaults();
    PolicyConfig c = new PolicyConfig(imageSize, saliency.model.text.Vocabulary.FIRST_COORD + bins, maxLen,
        d.encoderChannels(), d.decoderHidden(), d.embeddingSize(), d.attentionSize(), d.headHidden(), d.device(),
        intraOpThreads, 1, seed, saliency.model.text.Vocabulary.PAD, saliency.model.text.Vocabulary.END,
        d.graphOptimizer());
    if (encoder.equals(PolicyConfig.MOBILENET_V2)) {
      MobileNetV2Features.SpatialMap m = MobileNetV2Features.knownMap(featureMap);
      c = c.withMobileNetV2(m.height(), m.channels(), PROJECTION);
    }
    return c;
  }

  /** These settings with another encoder ({@code conv} or {@code mobilenet_v2}) and MobileNetV2 map. */
  public TrainSettings withEncoder(String newEncoder, String newFeatureMap) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, maxSteps, sftBatch,
        sftLearningRate, rlBatch, rlLearningRate, temperature, rl,
        clipNorm, rewardWeights, evalImages, evalSamples, intraOpThreads, seed, newEncoder, newFeatureMap, answer);
  }

  /** These settings with another answer form ({@code polygon} or {@code prompt}) and reward weights. */
  public TrainSettings withAnswer(String newAnswer, RewardWeights newRewardWeights) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, maxSteps, sftBatch,
        sftLearningRate, rlBatch, rlLearningRate, temperature, rl,
        clipNorm, newRewardWeights, evalImages, evalSamples, intraOpThreads, seed, encoder, featureMap, newAnswer);
  }

  /** True for Seg-R1 prompt answers. */
  public boolean promptAnswers() {
    return answer.equals(PROMPT);
  }

  /** True for the frozen MobileNetV2 encoder. */
  public boolean mobileNet() {
    return encoder.equals(PolicyConfig.MOBILENET_V2);
  }

  public TrainSettings withBudget(double sft, double rlBudget) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sft, rlBudget, maxSteps, sftBatch, sftLearningRate,
        rlBatch, rlLearningRate, temperature, rl, clipNorm,
        rewardWeights, evalImages, evalSamples, intraOpThreads, seed, encoder,
        featureMap, answer);
  }

  /** These settings with another algorithm (a name {@link AlgorithmName#parse} accepts) and CGPO confidence. */
  public TrainSettings withAlgo(String newAlgo, String newConfidence) {
    return withRl(rl.withAlgo(AlgorithmName.parse(newAlgo), newConfidence));
  }

  /** These settings with other RL settings. */
  public TrainSettings withRl(RlSettings newRl) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, maxSteps, sftBatch,
        sftLearningRate, rlBatch, rlLearningRate, temperature, newRl, clipNorm, rewardWeights, evalImages,
        evalSamples, intraOpThreads, seed, encoder, featureMap, answer);
  }

  public TrainSettings withSeed(long newSeed) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, maxSteps, sftBatch,
        sftLearningRate, rlBatch, rlLearningRate, temperature, rl,
        clipNorm, rewardWeights, evalImages, evalSamples, intraOpThreads, newSeed, encoder,
        featureMap, answer);
  }

  public TrainSettings withMaxSteps(int steps) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, steps, sftBatch,
        sftLearningRate, rlBatch, rlLearningRate, temperature, rl,
        clipNorm, rewardWeights, evalImages, evalSamples, intraOpThreads, seed, encoder,
        featureMap, answer);
  }

  public TrainSettings withEval(int images, int samples) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, maxSteps, sftBatch,
        sftLearningRate, rlBatch, rlLearningRate, temperature, rl,
        clipNorm, rewardWeights, images, samples, intraOpThreads, seed, encoder,
        featureMap, answer);
  }

  public TrainSettings withThreads(int threads) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, maxSteps, sftBatch,
        sftLearningRate, rlBatch, rlLearningRate, temperature, rl,
        clipNorm, rewardWeights, evalImages, evalSamples, threads, seed, encoder,
        featureMap, answer);
  }

  public TrainSettings withTemperature(double newTemperature) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, maxSteps, sftBatch,
        sftLearningRate, rlBatch, rlLearningRate, newTemperature, rl,
        clipNorm, rewardWeights, evalImages, evalSamples, intraOpThreads, seed, encoder,
        featureMap, answer);
  }

  public TrainSettings withGroupSize(int newGroupSize) {
    return withRl(rl.withGroupSize(newGroupSize));
  }

  public TrainSettings withLearningRates(double sftLr, double rlLr) {
    return new TrainSettings(imageSize, bins, maxVertices, maxLen, sftSeconds, rlSeconds, maxSteps, sftBatch,
        sftLr, rlBatch, rlLr, temperature, rl,
        clipNorm, rewardWeights, evalImages, evalSamples, intraOpThreads, seed, encoder,
        featureMap, answer);
  }
}
