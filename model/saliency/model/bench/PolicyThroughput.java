package saliency.model.bench;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import saliency.model.optim.Adam;
import saliency.model.policy.PolicyNetwork;
import saliency.model.policy.TrainStep;

/**
 * Timed loops over one policy network: sampling at temperature 1, policy gradients on the last sampled completions,
 * and SFT steps (gradient, clipping, Adam, weights written back). Borrows the network; holds the inputs and the last
 * completions; one thread.
 */
public final class PolicyThroughput {
  /** The prompt token of the salient-object task. */
  static final int SOD = 2;
  private static final int FIRST_BIN = 18;
  private static final int RG = 6;
  private static final int RG_END = 7;
  private static final int END = 1;
  private static final int WARM_UP_CALLS = 2;

  /**
   * What a timed loop did.
   *
   * @param batch samples per call
   * @param calls calls in the measured time
   * @param seconds measured wall clock
   * @param meanTokens mean completion length (sampling only, else NaN)
   * @param lastLoss the last call's loss (SFT only, else NaN)
   */
  public record Measure(int batch, long calls, double seconds, double meanTokens, double lastLoss) {
    public double samplesPerSecond() {
      return calls * batch / seconds;
    }

    public double millisPerCall() {
      return 1000 * seconds / calls;
    }
  }

  private final PolicyNetwork net;
  private final float[] images;
  private final int batch;
  private final int[] prompts;
  private final Random rnd;
  private int[][] completions;

  /** Loops over {@code net} with {@code images} ({@code batch} inputs), the salient-object prompt and {@code seed}. */
  public PolicyThroughput(PolicyNetwork net, float[] images, int batch, long seed) {
    this.net = Objects.requireNonNull(net, "net");
    this.images = Objects.requireNonNull(images, "images");
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    this.batch = batch;
    this.prompts = prompts(batch);
    this.rnd = new Random(seed);
  }

  /** Samples batches for {@code seconds} (after two calls not counted); keeps the last completions. */
  public Measure sampling(double seconds) {
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      completions = net.sample(images, batch, prompts, 1.0, false, i).tokens();
    }
    long calls = 0;
    long tokens = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < seconds * 1e9) {
      PolicyNetwork.Samples s = net.sample(images, batch, prompts, 1.0, false, 100 + calls);
      for (int[] t : s.tokens()) {
        tokens += t.length;
      }
      completions = s.tokens();
      calls++;
    }
    double el = (System.nanoTime() - start) / 1e9;
    return new Measure(batch, calls, el, tokens / (double) (calls * batch), Double.NaN);
  }

  /**
   * Policy gradients (forward and backward, default loss settings, random advantages and rewards) on the completions
   * of the last {@link #sampling} call for {@code seconds}, after two calls not counted.
   */
  public Measure gradients(double seconds) {
    if (completions == null) {
      throw new IllegalStateException("measure sampling first: the gradients take its completions");
    }
    float[] adv = new float[batch];
    float[] rewards = new float[batch];
    for (int i = 0; i < batch; i++) {
      adv[i] = (float) rnd.nextGaussian();
      rewards[i] = rnd.nextFloat();
    }
    PolicyNetwork.LossSettings ls = PolicyNetwork.LossSettings.defaults();
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      net.policyGradients(images, batch, prompts, completions, adv, null, rewards, ls);
    }
    long calls = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < seconds * 1e9) {
      net.policyGradients(images, batch, prompts, completions, adv, null, rewards, ls);
      calls++;
    }
    return new Measure(batch, calls, (System.nanoTime() - start) / 1e9, Double.NaN, Double.NaN);
  }

  /** SFT steps on {@code sftImages} ({@code n} inputs) with random polygon targets, for {@code seconds}. */
  public Measure sftSteps(float[] sftImages, int n, double seconds) {
    int[] sftPrompts = prompts(n);
    int[][] targets = randomTargets(rnd, n, net.config().maxLen());
    TrainStep step = new TrainStep(net, Adam.Settings.defaults(1e-3), 1.0);
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      step.sft(sftImages, n, sftPrompts, targets);
    }
    long calls = 0;
    double loss = Double.NaN;
    long start = System.nanoTime();
    while (System.nanoTime() - start < seconds * 1e9) {
      loss = step.sft(sftImages, n, sftPrompts, targets).loss();
      calls++;
    }
    return new Measure(n, calls, (System.nanoTime() - start) / 1e9, Double.NaN, loss);
  }

  /** {@code n} salient-object prompts. */
  static int[] prompts(int n) {
    int[] p = new int[n];
    Arrays.fill(p, SOD);
    return p;
  }

  /** {@code n} random images of side {@code side} (values in [0, 1)), stacked. */
  public static float[] randomImages(Random rnd, int n, int side) {
    float[] x = new float[n * side * side * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    return x;
  }

  /** Well-formed polygon answers of 4-15 random vertices, at most {@code maxLen} tokens. */
  static int[][] randomTargets(Random rnd, int n, int maxLen) {
    int[][] targets = new int[n][];
    for (int i = 0; i < n; i++) {
      int vertices = 4 + rnd.nextInt(12);
      int[] t = new int[Math.min(maxLen, 2 * vertices + 3)];
      t[0] = RG;
      for (int j = 1; j < t.length - 2; j++) {
        t[j] = FIRST_BIN + rnd.nextInt(64);
      }
      t[t.length - 2] = RG_END;
      t[t.length - 1] = END;
      targets[i] = t;
    }
    return targets;
  }
}
