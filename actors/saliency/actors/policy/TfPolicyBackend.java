package saliency.actors.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import saliency.model.policy.PolicyNetwork;
import saliency.model.rl.Algorithm;
import saliency.model.text.Vocabulary;
import saliency.model.train.Prepared;
import saliency.model.train.RlGradient;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.GradientResult;

/**
 * The production {@link PolicyBackend}: one {@link PolicyNetwork} (one TensorFlow session on one device) serving
 * prepared examples; owns the network (closed with the backend), a pending copy of the weights, the sampling random
 * stream and the {@link RlGradient} of its algorithm (with the initial weights as the KL reference). Confined to its
 * policy actor's thread.
 *
 * <p>Device calls are batched: {@link #sampleBatch} samples every prompt of a batch (each repeated {@code count} times)
 * in one session call, {@link #greedyBatch} decodes a batch greedily in one, and {@link #gradients} differentiates a whole micro-batch at once. Learner slices that arrive
 * between calls are gathered into the pending weight vector and written to the session once, before the next call,
 * so N slices of one learner step cost one weight upload rather than N.
 */
public final class TfPolicyBackend implements PolicyBackend<Prepared> {

  /**
   * How the backend samples and differentiates.
   *
   * @param temperature sampling temperature of rollouts (> 0)
   * @param predictConfidence also fetch the confidence head's predicted reward with every sample (CGPO with the
   *     {@code head} estimator); it rides on {@link Completion#predictedReward()}
   * @param seed seed of the sampling random stream
   * @param algorithm the RL algorithm whose loss the gradients are of (importance ratio and clip, KL to the initial
   *     weights, confidence head when examples carry rewards, SFT anchor), as the single-process trainer computes it
   */
  public record Settings(double temperature, boolean predictConfidence, long seed, Algorithm algorithm) {
    public Settings {
      Objects.requireNonNull(algorithm, "algorithm");
      if (!(temperature > 0)) {
        throw new IllegalArgumentException("temperature must be > 0: " + temperature);
      }
    }
  }

  private final PolicyNetwork net;
  private final Vocabulary vocabulary;
  private final Settings settings;
  private final Random random;
  private final float[] pending;
  private final RlGradient gradient;
  private boolean dirty;
  private long uploads;

  /** Takes ownership of {@code net}; its current weights are the backend's initial weights. */
  public TfPolicyBackend(PolicyNetwork net, Vocabulary vocabulary, Settings settings) {
    this.net = Objects.requireNonNull(net, "net");
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (vocabulary.size() != net.config().vocabSize()) {
      throw new IllegalArgumentException("vocabulary of " + vocabulary.size() + " tokens, the network has "
          + net.config().vocabSize());
    }
    this.random = new Random(settings.seed());
    this.pending = net.getFlatWeights();
    this.gradient = new RlGradient(settings.algorithm(), net,
        settings.algorithm().loss().klBeta() > 0 ? pending : null);
  }

  /** The network (for evaluation by the owner after the actor stopped; not while it serves). */
  public PolicyNetwork network() {
    flush();
    return net;
  }

  /** Weight uploads to the session so far (one per call that followed new slices). */
  public long uploads() {
    return uploads;
  }

  @Override
  public int parameterCount() {
    return pending.length;
  }

  @Override
  public float[] flatWeights() {
    return pending.clone();
  }

  @Override
  public void setSlice(int offset, float[] values) {
    if (offset < 0 || (long) offset + values.length > pending.length) {
      throw new IllegalArgumentException("slice [" + offset + ", +" + values.length + ") outside [0, "
          + pending.length + ")");
    }
    System.arraycopy(values, 0, pending, offset, values.length);
    dirty = true;
  }

  private void flush() {
    if (dirty) {
      net.setFlatWeights(pending);
      dirty = false;
      uploads++;
    }
  }

  @Override
  public List<Completion> sample(Prepared input, int count) {
    return sampleBatch(List.of(input), count).get(0);
  }

  @Override
  public List<List<Completion>> sampleBatch(List<Prepared> inputs, int count) {
    return draw(inputs, count, false);
  }

  @Override
  public List<Completion> greedyBatch(List<Prepared> inputs) {
    List<List<Completion>> groups = draw(inputs, 1, true);
    List<Completion> out = new ArrayList<>(groups.size());
    for (List<Completion> g : groups) {
      out.add(g.get(0));
    }
    return out;
  }

  /** {@code count} completions per input in one session call: sampled at the temperature, or greedy. */
  private List<List<Completion>> draw(List<Prepared> inputs, int count, boolean greedy) {
    if (inputs.isEmpty() || count < 1) {
      throw new IllegalArgumentException("need at least one input and count >= 1: " + inputs.size() + ", " + count);
    }
    flush();
    int n = inputs.size() * count;
    int per = imageFloats();
    float[] images = new float[n * per]; // (n, S, S, 3) or (n, G, G, C), each prompt repeated count times
    for (int i = 0; i < inputs.size(); i++) {
      float[] x = checkedInput(inputs.get(i));
      for (int k = 0; k < count; k++) {
        System.arraycopy(x, 0, images, (i * count + k) * per, per);
      }
    }
    int[] prompts = new int[n];
    for (int i = 0; i < inputs.size(); i++) {
      Arrays.fill(prompts, i * count, (i + 1) * count, Vocabulary.taskToken(inputs.get(i).task()));
    }
    long seed = random.nextLong();
    PolicyNetwork.Samples s;
    float[] head = null;
    if (settings.predictConfidence()) {
      PolicyNetwork.SamplesWithConfidence sc =
          net.sampleWithConfidence(images, n, prompts, settings.temperature(), greedy, seed);
      s = sc.samples();
      head = sc.confidence();
    } else {
      s = net.sample(images, n, prompts, greedy ? 1.0 : settings.temperature(), greedy, seed);
    }
    List<List<Completion>> out = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      List<Completion> group = new ArrayList<>(count);
      for (int k = 0; k < count; k++) {
        int row = i * count + k;
        int[] tokens = s.tokens()[row];
        group.add(new Completion(tokens, vocabulary.toText(tokens), s.tokenLogp()[row],
            head == null ? Double.NaN : head[row]));
      }
      out.add(group);
    }
    return out;
  }

  @Override
  public float[][] score(Prepared input, int[][] completions) {
    flush();
    int n = completions.length;
    float[] x = checkedInput(input);
    float[] images = new float[n * x.length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, 0, images, i * x.length, x.length);
    }
    int[] prompts = new int[n];
    Arrays.fill(prompts, Vocabulary.taskToken(input.task()));
    return net.score(images, n, prompts, completions).tokenLogp();
  }

  @Override
  public GradientResult gradients(List<GradientExample<Prepared>> batch) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("empty gradient batch");
    }
    flush();
    int n = batch.size();
    int per = imageFloats();
    float[] images = new float[n * per];
    List<Prepared> examples = new ArrayList<>(n);
    int[][] completions = new int[n][];
    float[] advantages = new float[n];
    float[] rewards = new float[n];
    float[][] old = new float[n][];
    boolean allRewards = settings.algorithm().loss().headWeight() > 0;
    for (int i = 0; i < n; i++) {
      GradientExample<Prepared> e = batch.get(i);
      examples.add(e.input());
      System.arraycopy(checkedInput(e.input()), 0, images, i * per, per);
      completions[i] = e.tokens();
      advantages[i] = (float) e.advantage();
      rewards[i] = (float) e.reward();
      old[i] = e.oldTokenLogProbs();
      allRewards &= Double.isFinite(e.reward());
    }
    PolicyNetwork.Gradients g =
        gradient.compute(examples, images, completions, advantages, allRewards ? rewards : null, old);
    return new GradientResult(g.flat(), g.loss());
  }

  /**
   * Floats per example: an (S, S, 3) image for the conv encoder, a (G, G, C) feature map for mobilenet_v2; K of them
   * with a group context.
   */
  private int imageFloats() {
    return net.config().inputSize();
  }

  private float[] checkedInput(Prepared p) {
    if (p.input().length != imageFloats()) {
      throw new IllegalArgumentException(p.original().name() + ": model input has " + p.input().length
          + " floats, the policy expects " + imageFloats() + " (" + (net.config().hasGroupContext()
          ? net.config().imagesPerExample() + " images of " : "") + String.join("x",
          java.util.Arrays.stream(net.config().inputShape()).mapToObj(Integer::toString).toList()) + ")");
    }
    return p.input();
  }

  @Override
  public void close() {
    net.close();
  }
}
