package saliency.streams;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the training graph's mechanics, mirroring {@code saliency.pipeline}; immutable. What is sampled and how
 * it is grouped and weighed comes from the {@link saliency.model.rl.Algorithm} the graph is built with.
 *
 * @param gradientBatch samples per gradient call ({@code gradient-batch})
 * @param sampleParallelism concurrent sample requests ({@code parallelism.sample})
 * @param segmentParallelism concurrent segmentations ({@code parallelism.segment})
 * @param rewardParallelism concurrent reward computations ({@code parallelism.reward})
 * @param gradientParallelism concurrent gradient requests ({@code parallelism.gradient})
 * @param learnerParallelism gradients in flight to the learner ({@code parallelism.learner})
 * @param bufferSize bounded buffer in front of each stage, in elements ({@code buffer-size})
 * @param sampleBatch most prompts sampled in one policy call ({@code sample-batch}; 1 = one call per prompt)
 * @param sampleBatchWait longest wait for a sample batch to fill before it is sent short ({@code sample-batch-wait})
 */
public record PipelineSettings(
    int gradientBatch,
    int sampleParallelism,
    int segmentParallelism,
    int rewardParallelism,
    int gradientParallelism,
    int learnerParallelism,
    int bufferSize,
    int sampleBatch,
    Duration sampleBatchWait) {

  /** Settings that sample one prompt per policy call. */
  public PipelineSettings(int gradientBatch, int sampleParallelism, int segmentParallelism, int rewardParallelism,
      int gradientParallelism, int learnerParallelism, int bufferSize) {
    this(gradientBatch, sampleParallelism, segmentParallelism, rewardParallelism,
        gradientParallelism, learnerParallelism, bufferSize, 1, Duration.ofMillis(10));
  }

  public PipelineSettings {
    Objects.requireNonNull(sampleBatchWait, "sampleBatchWait");
    positive("sample-batch", sampleBatch);
    if (sampleBatchWait.isNegative() || sampleBatchWait.isZero()) {
      throw new IllegalArgumentException("saliency.pipeline.sample-batch-wait must be > 0: " + sampleBatchWait);
    }
    positive("gradient-batch", gradientBatch);
    positive("parallelism.sample", sampleParallelism);
    positive("parallelism.segment", segmentParallelism);
    positive("parallelism.reward", rewardParallelism);
    positive("parallelism.gradient", gradientParallelism);
    positive("parallelism.learner", learnerParallelism);
    positive("buffer-size", bufferSize);
  }

  private static void positive(String key, int v) {
    if (v < 1) {
      throw new IllegalArgumentException("saliency.pipeline." + key + " must be >= 1: " + v);
    }
  }

  /** Reads the {@code saliency.pipeline} block of {@code pipeline} (pass {@code config.getConfig("saliency.pipeline")}). */
  public static PipelineSettings fromConfig(Config pipeline) {
    Config p = pipeline.getConfig("parallelism");
    return new PipelineSettings(
        pipeline.getInt("gradient-batch"),
        p.getInt("sample"),
        p.getInt("segment"),
        p.getInt("reward"),
        p.getInt("gradient"),
        p.getInt("learner"),
        pipeline.getInt("buffer-size"),
        pipeline.getInt("sample-batch"),
        pipeline.getDuration("sample-batch-wait"));
  }

  /** Same settings with another sample batch and gradient micro-batch. */
  public PipelineSettings withBatches(int newSampleBatch, int newGradientBatch) {
    return new PipelineSettings(newGradientBatch, sampleParallelism, segmentParallelism,
        rewardParallelism, gradientParallelism, learnerParallelism, bufferSize, newSampleBatch, sampleBatchWait);
  }
}
