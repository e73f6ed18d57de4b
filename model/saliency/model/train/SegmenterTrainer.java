package saliency.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;
import saliency.model.geometry.Mask;
import saliency.model.metrics.SodMetrics;
import saliency.model.metrics.SodResults;
import saliency.model.optim.Adam;
import saliency.model.text.ParseResult;
import saliency.model.segment.PromptSegmenter;
import saliency.model.segment.PromptTargets;
import saliency.model.text.Answer;
import saliency.model.tfjs.Bilinear;

/**
 * Supervised training of the promptable segmenter (Seg-R1 mode) on prepared examples with prompts sampled from their
 * ground truth ({@link PromptTargets#jittered}), mirrored left-right half the time; the trainer owns its optimizer and
 * random state and borrows the segmenter.
 */
public final class SegmenterTrainer {
  /**
   * Settings of a segmenter training run.
   *
   * @param batch examples per step (16)
   * @param learningRate Adam learning rate at the start, decayed along a half cosine to a tenth (1e-3)
   * @param jitter largest move of each box edge, as a share of the box side (0.15)
   * @param unprompted share of prompts that are the whole image without points (0.2)
   * @param flip mirror half the examples left-right (features, prompt and mask alike)
   * @param seed seed of example order, prompts and flips
   */
  public record Settings(int batch, double learningRate, double jitter, double unprompted, boolean flip, long seed) {
    public Settings {
      if (batch < 1 || !(learningRate > 0) || !(jitter >= 0) || !(unprompted >= 0 && unprompted <= 1)) {
        throw new IllegalArgumentException("bad segmenter settings: batch " + batch + ", learning rate "
            + learningRate + ", jitter " + jitter + ", unprompted " + unprompted);
      }
    }

    public static Settings defaults(long seed) {
      return new Settings(16, 1e-3, 0.15, 0.2, true, seed);
    }
  }

  /**
   * What a run did: steps, samples, seconds, the last step's loss, and with validation the best score and the step of
   * the kept weights (NaN and the last step without).
   */
  public record Result(long steps, long samples, double seconds, double lastLoss, double validationBest,
      long keptStep) {}

  private final PromptSegmenter segmenter;
  private final Settings settings;
  private final LongSupplier nanoClock;
  private final PolicyTrainer.Listener listener;
  private java.util.function.DoubleSupplier validationScore;
  private EarlyStopping early;

  public SegmenterTrainer(PromptSegmenter segmenter, Settings settings, LongSupplier nanoClock,
      PolicyTrainer.Listener listener) {
    this.segmenter = Objects.requireNonNull(segmenter, "segmenter");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Scores the segmenter (its current weights) every {@code everySeconds} with {@code score}, higher is better; the
   * best weights are kept and restored at the end, and training stops after {@code patience} scores without a gain.
   */
  public SegmenterTrainer withValidation(java.util.function.DoubleSupplier score, double everySeconds, int patience) {
    this.validationScore = Objects.requireNonNull(score, "score");
    this.early = new EarlyStopping(everySeconds, patience);
    return this;
  }

  /** Trains for {@code seconds} of wall clock, or {@code maxSteps} steps when positive, whichever ends first. */
  public Result train(List<Prepared> examples, double seconds, int maxSteps) {
    return train(examples, ViewPool.none(), seconds, maxSteps);
  }

  /**
   * As {@link #train(List, double, int)}, each drawn example replaced by one of its augmented views as {@code views}
   * says ({@link ViewPool#draw}).
   */
  public Result train(List<Prepared> examples, ViewPool views, double seconds, int maxSteps) {
    Objects.requireNonNull(views, "views");
    List<Prepared> usable = new ArrayList<>();
    for (Prepared p : examples) {
      if (p.segmenterInput() == null) {
        throw new IllegalArgumentException(p.original().name() + " was prepared without segmenter features");
      }
      if (!p.modelMask().isEmpty()) {
        usable.add(p);
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("no training example has a non-empty mask to train the segmenter on");
    }
    Random rnd = new Random(settings.seed());
    Adam adam = new Adam(Adam.Settings.defaults(settings.learningRate()), segmenter.parameterCount());
    float[] weights = segmenter.getWeights();
    int n = settings.batch();
    int g = PromptSegmenter.GRID;
    int s28 = g * g * PromptSegmenter.C28;
    int s14 = PromptSegmenter.G14 * PromptSegmenter.G14 * PromptSegmenter.C14;
    int sp = g * g * PromptSegmenter.PROMPT_CHANNELS;
    long start = nanoClock.getAsLong();
    long steps = 0;
    double loss = Double.NaN;
    while ((maxSteps <= 0 || steps < maxSteps) && (maxSteps > 0 || elapsed(start) < seconds)) {
      float[] f28 = new float[n * s28];
      float[] f14 = new float[n * s14];
      float[] prompts = new float[n * sp];
      float[] targets = new float[n * g * g];
      for (int i = 0; i < n; i++) {
        Prepared p = usable.get(rnd.nextInt(usable.size()));
        Prepared view = views.draw(p, rnd);
        if (!view.modelMask().isEmpty()) {
          p = view;
        }
        boolean flip = settings.flip() && rnd.nextBoolean();
        Mask m = flip ? mirror(p.modelMask()) : p.modelMask();
        Answer.Prompt pr = PromptTargets.jittered(m, rnd, settings.jitter(), settings.unprompted());
        copy(p.segmenterInput(), g, PromptSegmenter.C28, flip, f28, i * s28);
        copy(p.input(), PromptSegmenter.G14, PromptSegmenter.C14, flip, f14, i * s14);
        System.arraycopy(PromptSegmenter.promptChannels(pr), 0, prompts, i * sp, sp);
        System.arraycopy(softTarget(m), 0, targets, i * g * g, g * g);
      }
      PromptSegmenter.Step step = segmenter.gradient(f28, f14, prompts, targets, n);
      double fraction = maxSteps > 0 ? steps / (double) maxSteps : elapsed(start) / Math.max(1e-9, seconds);
      double lr = settings.learningRate() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, fraction))));
      if (Adam.allFinite(step.gradient())) {
        Adam.clipByGlobalNorm(step.gradient(), 1.0);
        adam.apply(weights, step.gradient(), lr);
        segmenter.setWeights(weights);
      }
      steps++;
      loss = step.loss();
      listener.step("segmenter", steps, elapsed(start), seconds, Map.of("loss", loss, "lr", lr));
      boolean last = maxSteps > 0 ? steps >= maxSteps : elapsed(start) >= seconds;
      if (early != null && early.due(elapsed(start), last)
          && early.record(validationScore.getAsDouble(), weights, steps)) {
        break;
      }
    }
    if (early != null && early.bestWeights() != null) {
      System.arraycopy(early.bestWeights(), 0, weights, 0, weights.length);
      segmenter.setWeights(weights);
      return new Result(steps, steps * n, elapsed(start), loss, early.best(), early.bestStep());
    }
    return new Result(steps, steps * n, elapsed(start), loss, Double.NaN, steps);
  }

  /**
   * The segmenter's figures on {@code examples} at original size: with each image's ground-truth prompt
   * ({@link PromptTargets#target}, the policy's SFT target: an upper bound for a policy) when {@code oracle}, else with
   * the whole image as box and no point (the decoder as a plain saliency readout).
   *
   * @param encoder an encoder with the segmenter ({@link ExampleEncoder#withSegmenter})
   */
  public static SodResults evaluate(ExampleEncoder encoder, List<Prepared> examples, boolean oracle) {
    SodMetrics metrics = new SodMetrics();
    for (Prepared p : examples) {
      Mask gt = p.original().mask();
      Answer.Prompt pr = oracle ? PromptTargets.target(gt) : null;
      if (pr == null) {
        pr = new Answer.Prompt(new double[] {0, 0, 1, 1}, List.of(), new int[0]);
      }
      double[] map = encoder.map(p, new ParseResult.Parsed(pr), gt.width(), gt.height());
      double[] scaled = new double[map.length];
      for (int j = 0; j < map.length; j++) {
        scaled[j] = Math.rint(map[j] * 255);
      }
      metrics.add(scaled, gt.bits(), gt.width(), gt.height());
    }
    return metrics.results();
  }

  /** The mask as the share of set pixels under each of the 28x28 cells (bilinear from the mask's size). */
  static float[] softTarget(Mask m) {
    float[] f = new float[m.width() * m.height()];
    boolean[] b = m.bits();
    for (int i = 0; i < b.length; i++) {
      f[i] = b[i] ? 1f : 0f;
    }
    int g = PromptSegmenter.GRID;
    return Bilinear.resize(f, m.width(), m.height(), 1, g, g);
  }

  private static Mask mirror(Mask m) {
    int w = m.width();
    boolean[] b = m.bits();
    boolean[] out = new boolean[b.length];
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < w; x++) {
        out[y * w + x] = b[y * w + (w - 1 - x)];
      }
    }
    return new Mask(w, m.height(), out);
  }

  /** Copies a (side, side, c) map into {@code dst} at {@code at}, mirrored left-right when {@code flip}. */
  private static void copy(float[] src, int side, int c, boolean flip, float[] dst, int at) {
    if (!flip) {
      System.arraycopy(src, 0, dst, at, side * side * c);
      return;
    }
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        System.arraycopy(src, (y * side + (side - 1 - x)) * c, dst, at + (y * side + x) * c, c);
      }
    }
  }

  private double elapsed(long start) {
    return (nanoClock.getAsLong() - start) / 1e9;
  }
}
