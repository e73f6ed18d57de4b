package saliency.model.train;

import saliency.model.rl.AlgorithmName;

/** The small training settings the tests share; a holder of static factories without state. */
public final class TinySettings {
  private TinySettings() {}

  /**
   * 32-pixel images, 16 bins, 8 vertices, 20 tokens; 1 s of SFT and no RL, batches of 8 at rate 1e-3; 4 held-out
   * images with 1 sample each; CGPO with {@code confidence}; the other settings at their defaults.
   */
  public static TrainSettings of(String confidence, long seed) {
    TrainSettings d = TrainSettings.defaults();
    return d.withSizes(new TrainSettings.Sizes(32, 16, 8, 20))
        .withSft(new TrainSettings.Sft(1, 8, 1e-3))
        .withRlPhase(new TrainSettings.RlPhase(0, 8, 1e-3, 1.0))
        .withRl(d.rl().withAlgo(AlgorithmName.CGPO, confidence))
        .withEval(new TrainSettings.Eval(4, 1))
        .withSeed(seed);
  }
}
