package saliency.model.train;

import java.util.List;
import java.util.Objects;
import saliency.model.policy.PolicyConfig;
import saliency.model.reward.RewardWeights;
import saliency.model.rl.RlSettings;
import saliency.model.tfjs.MobileNetV2Features;

/**
 * Hyperparameters of SFT and RL training in small groups, each key named as in a run's {@code settings.properties};
 * immutable, with every default in {@link #defaults()}. Change a group with its {@code with...} copy, e.g.
 * {@code s.withSft(s.sft().withSeconds(60))}; {@link RunFolder} writes and reads the keys.
 *
 * @param sizes image and sequence sizes ({@code image-size}, {@code bins}, {@code max-vertices}, {@code max-len})
 * @param encoding image encoder and answer form ({@code encoder}, {@code feature-map}, {@code answer})
 * @param sft the SFT phase ({@code sft-seconds}, {@code sft-batch}, {@code sft-learning-rate})
 * @param rlPhase the RL phase ({@code rl-seconds}, {@code rl-batch}, {@code rl-learning-rate}, {@code temperature})
 * @param rl the RL algorithm and its hyperparameters ({@code saliency.rl}: algo, group-size, confidence, kl-beta,
 *     head-weight, ...), read by both RL drivers
 * @param rewardWeights weights of the IoU, S-measure, centroid and format terms ({@code reward})
 * @param eval held-out evaluation after each phase ({@code eval-images}, {@code eval-samples})
 * @param clipNorm global gradient-norm clip of SFT and RL steps, 0 for none ({@code clip-norm}, 1.0)
 * @param maxSteps hard cap on steps per phase, 0 for none; tests use it for determinism ({@code max-steps}, 0)
 * @param intraOpThreads TensorFlow intra-op threads ({@code intra-op-threads}, 1)
 * @param seed seed of weights, data order and sampling ({@code seed}, 1)
 */
public record TrainSettings(
    Sizes sizes,
    Encoding encoding,
    Sft sft,
    RlPhase rlPhase,
    RlSettings rl,
    RewardWeights rewardWeights,
    Eval eval,
    double clipNorm,
    int maxSteps,
    int intraOpThreads,
    long seed) {

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

  /** Images in a CoSOD group and in the policy's group context when a run's tasks include cosod. */
  public static final int COSOD_GROUP = saliency.model.data.SyntheticGroups.Settings.DEFAULT_GROUP_SIZE;

  /**
   * Image and sequence sizes of the policy; immutable.
   *
   * @param imageSize model input resolution in pixels, images are stretched to it ({@code image-size}, 64)
   * @param bins coordinate bins per axis ({@code bins}, 64; 32 caps IoU near 0.90)
   * @param maxVertices most vertices per SFT target polygon ({@code max-vertices}, 16)
   * @param maxLen most completion tokens, {@code <end>} included; also the fixed loss normalizer T_max
   *     ({@code max-len}, 40)
   */
  public record Sizes(int imageSize, int bins, int maxVertices, int maxLen) {
    public Sizes {
      positive("image-size", imageSize);
      positive("bins", bins);
      if (maxVertices < 3) {
        throw new IllegalArgumentException("max-vertices must be at least 3, got " + maxVertices);
      }
      if (maxLen < 2 * maxVertices + 3) {
        throw new IllegalArgumentException(
            "max-len " + maxLen + " cannot hold one polygon of max-vertices " + maxVertices + " (needs "
                + (2 * maxVertices + 3) + ")");
      }
    }
  }

  /**
   * Image encoder and answer form of the policy; immutable.
   *
   * @param encoder image encoder: {@code conv} (trained from scratch) or {@code mobilenet_v2} (frozen pretrained
   *     features of the original image at 224x224, cached per image, and a learned projection) ({@code encoder},
   *     conv)
   * @param featureMap the MobileNetV2 map the {@code mobilenet_v2} encoder reads, one of
   *     {@link MobileNetV2Features#KNOWN_MAPS}; recorded for {@code conv} too but unused ({@code feature-map},
   *     {@link #DEFAULT_FEATURE_MAP})
   * @param answer the answer form: {@code polygon} ({@code <rg>} polygons, rasterized) or {@code prompt} (Seg-R1's
   *     box, points and labels, segmented by the run's frozen {@link saliency.model.segment.PromptSegmenter}; needs
   *     {@code mobilenet_v2}) ({@code answer}, polygon)
   * @param groupContext images per example in the policy's group context, 0 for none
   *     ({@link PolicyConfig#groupContext()}; {@code group-context}, 0; a run whose tasks include cosod sets it to
   *     {@link #COSOD_GROUP})
   */
  public record Encoding(String encoder, String featureMap, String answer, int groupContext) {
    /** Polygon or prompt answers without a group context. */
    public Encoding(String encoder, String featureMap, String answer) {
      this(encoder, featureMap, answer, 0);
    }

    public Encoding {
      if (groupContext < 0) {
        throw new IllegalArgumentException("group-context must be >= 0, got " + groupContext);
      }
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
    }

    /** This encoding with another encoder ({@code conv} or {@code mobilenet_v2}) and MobileNetV2 map. */
    public Encoding withEncoder(String newEncoder, String newFeatureMap) {
      return new Encoding(newEncoder, newFeatureMap, answer, groupContext);
    }

    /** This encoding with a group context of {@code images} images per example (0: none). */
    public Encoding withGroupContext(int images) {
      return new Encoding(encoder, featureMap, answer, images);
    }

    /** Polygon answers over the frozen MobileNetV2 features of {@code featureMap}. */
    public static Encoding mobileNet(String featureMap) {
      return new Encoding(PolicyConfig.MOBILENET_V2, featureMap, POLYGON);
    }

    /** Seg-R1 prompt answers over the frozen MobileNetV2 features of the default map. */
    public static Encoding prompts() {
      return new Encoding(PolicyConfig.MOBILENET_V2, DEFAULT_FEATURE_MAP, PROMPT);
    }
  }

  /**
   * Budget and optimizer settings of the SFT phase; immutable.
   *
   * @param seconds wall-clock budget of the SFT phase ({@code sft-seconds}, 150)
   * @param batch images per SFT step ({@code sft-batch}, 32)
   * @param learningRate Adam learning rate of SFT ({@code sft-learning-rate}, 3e-3)
   */
  public record Sft(double seconds, int batch, double learningRate) {
    public Sft {
      budget(seconds);
      positive("sft-batch", batch);
    }

    public Sft withSeconds(double newSeconds) {
      return new Sft(newSeconds, batch, learningRate);
    }

    public Sft withLearningRate(double newLearningRate) {
      return new Sft(seconds, batch, newLearningRate);
    }
  }

  /**
   * Budget, optimizer and sampling settings of the RL phase; immutable.
   *
   * @param seconds wall-clock budget of the RL phase ({@code rl-seconds}, 90)
   * @param batch completions per RL step, prompts times group size ({@code rl-batch}, 32)
   * @param learningRate Adam learning rate of RL ({@code rl-learning-rate}, {@link #DEFAULT_RL_LEARNING_RATE}: at
   *     2e-4 the pipeline's CGPO lost its polygons after an SFT warm start)
   * @param temperature sampling temperature of RL rollouts ({@code temperature}, 1.0)
   */
  public record RlPhase(double seconds, int batch, double learningRate, double temperature) {
    public RlPhase {
      budget(seconds);
      positive("rl-batch", batch);
      if (!(temperature > 0)) {
        throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
      }
    }

    public RlPhase withSeconds(double newSeconds) {
      return new RlPhase(newSeconds, batch, learningRate, temperature);
    }

    public RlPhase withBatch(int newBatch) {
      return new RlPhase(seconds, newBatch, learningRate, temperature);
    }

    public RlPhase withLearningRate(double newLearningRate) {
      return new RlPhase(seconds, batch, newLearningRate, temperature);
    }

    public RlPhase withTemperature(double newTemperature) {
      return new RlPhase(seconds, batch, learningRate, newTemperature);
    }
  }

  /**
   * Size of the held-out evaluation after each phase; immutable.
   *
   * @param images held-out images evaluated ({@code eval-images}, 200)
   * @param samples sampled masks per held-out image for sampled IoU and the mean map ({@code eval-samples}, 8)
   */
  public record Eval(int images, int samples) {
    public Eval {
      if (images < 0) {
        throw new IllegalArgumentException("budgets must be >= 0");
      }
      positive("eval-samples", samples);
    }
  }

  public TrainSettings {
    Objects.requireNonNull(sizes, "sizes");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(sft, "sft");
    Objects.requireNonNull(rlPhase, "rlPhase");
    Objects.requireNonNull(rl, "rl");
    Objects.requireNonNull(rewardWeights, "rewardWeights");
    Objects.requireNonNull(eval, "eval");
    int perPrompt = rl.algorithm().completionsPerPrompt(); // also checks that the settings suit the algorithm
    positive("intra-op-threads", intraOpThreads);
    budget(maxSteps);
    if (rlPhase.batch() % perPrompt != 0) {
      throw new IllegalArgumentException("rl-batch " + rlPhase.batch() + " must be a multiple of group-size "
          + perPrompt + " for " + rl.algo());
    }
  }

  private static void positive(String key, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + v);
    }
  }

  private static void budget(double v) {
    if (v < 0) {
      throw new IllegalArgumentException("budgets must be >= 0");
    }
  }

  /** The defaults of {@code train}: finishes SFT + CGPO and both evaluations in under 5 minutes on 2 cores. */
  public static TrainSettings defaults() {
    return new TrainSettings(
        new Sizes(64, 64, 16, 40),
        new Encoding(PolicyConfig.CONV, DEFAULT_FEATURE_MAP, POLYGON),
        new Sft(150, 32, 3e-3),
        new RlPhase(90, 32, DEFAULT_RL_LEARNING_RATE, 1.0),
        RlSettings.defaults(),
        RewardWeights.defaults(),
        new Eval(200, 8),
        1.0,
        0,
        1,
        1L);
  }

  /**
   * The policy network's configuration for these settings (vocabulary of 18 + bins tokens, CPU, seeded); with
   * {@code mobilenet_v2} its input is the {@code feature-map} features and its encoder the {@link #PROJECTION}.
   */
  public PolicyConfig policyConfig() {
    PolicyConfig d = PolicyConfig.defaults();
    PolicyConfig c = new PolicyConfig(sizes.imageSize(), saliency.model.text.Vocabulary.FIRST_COORD + sizes.bins(),
        sizes.maxLen(), d.encoderChannels(), d.decoderHidden(), d.embeddingSize(), d.attentionSize(), d.headHidden(),
        d.device(), intraOpThreads, 1, seed, saliency.model.text.Vocabulary.PAD, saliency.model.text.Vocabulary.END,
        d.graphOptimizer());
    if (mobileNet()) {
      MobileNetV2Features.SpatialMap m = MobileNetV2Features.knownMap(encoding.featureMap());
      c = c.withMobileNetV2(m.height(), m.channels(), PROJECTION);
    }
    return c.withGroupContext(encoding.groupContext());
  }

  /**
   * These settings for a run that trains {@code tasks}: with cosod among them and no group context yet, a group
   * context of {@link #COSOD_GROUP} images; otherwise unchanged.
   */
  public TrainSettings forTasks(TaskMix tasks) {
    if (!tasks.tasks().contains(saliency.model.text.Task.COSOD) || encoding.groupContext() > 0) {
      return this;
    }
    return withEncoding(encoding.withGroupContext(COSOD_GROUP));
  }

  /** True for Seg-R1 prompt answers. */
  public boolean promptAnswers() {
    return encoding.answer().equals(PROMPT);
  }

  /** True for the frozen MobileNetV2 encoder. */
  public boolean mobileNet() {
    return encoding.encoder().equals(PolicyConfig.MOBILENET_V2);
  }

  public TrainSettings withSizes(Sizes newSizes) {
    return new TrainSettings(newSizes, encoding, sft, rlPhase, rl, rewardWeights, eval, clipNorm, maxSteps,
        intraOpThreads, seed);
  }

  public TrainSettings withEncoding(Encoding newEncoding) {
    return new TrainSettings(sizes, newEncoding, sft, rlPhase, rl, rewardWeights, eval, clipNorm, maxSteps,
        intraOpThreads, seed);
  }

  public TrainSettings withSft(Sft newSft) {
    return new TrainSettings(sizes, encoding, newSft, rlPhase, rl, rewardWeights, eval, clipNorm, maxSteps,
        intraOpThreads, seed);
  }

  public TrainSettings withRlPhase(RlPhase newRlPhase) {
    return new TrainSettings(sizes, encoding, sft, newRlPhase, rl, rewardWeights, eval, clipNorm, maxSteps,
        intraOpThreads, seed);
  }

  public TrainSettings withRl(RlSettings newRl) {
    return new TrainSettings(sizes, encoding, sft, rlPhase, newRl, rewardWeights, eval, clipNorm, maxSteps,
        intraOpThreads, seed);
  }

  public TrainSettings withRewardWeights(RewardWeights newRewardWeights) {
    return new TrainSettings(sizes, encoding, sft, rlPhase, rl, newRewardWeights, eval, clipNorm, maxSteps,
        intraOpThreads, seed);
  }

  public TrainSettings withEval(Eval newEval) {
    return new TrainSettings(sizes, encoding, sft, rlPhase, rl, rewardWeights, newEval, clipNorm, maxSteps,
        intraOpThreads, seed);
  }

  public TrainSettings withMaxSteps(int newMaxSteps) {
    return new TrainSettings(sizes, encoding, sft, rlPhase, rl, rewardWeights, eval, clipNorm, newMaxSteps,
        intraOpThreads, seed);
  }

  public TrainSettings withThreads(int newIntraOpThreads) {
    return new TrainSettings(sizes, encoding, sft, rlPhase, rl, rewardWeights, eval, clipNorm, maxSteps,
        newIntraOpThreads, seed);
  }

  public TrainSettings withSeed(long newSeed) {
    return new TrainSettings(sizes, encoding, sft, rlPhase, rl, rewardWeights, eval, clipNorm, maxSteps,
        intraOpThreads, newSeed);
  }
}
