package saliency.model.train;

import java.util.List;
import java.util.Objects;
import saliency.model.data.LabelledImage;
import saliency.model.geometry.Mask;
import saliency.model.geometry.MaskPolygons;
import saliency.model.geometry.Polygon;
import saliency.model.geometry.PolygonRasterizer;
import saliency.model.image.Resizer;
import saliency.model.segment.PromptMasks;
import saliency.model.segment.PromptSegmenter;
import saliency.model.segment.PromptTargets;
import saliency.model.text.Answer;
import saliency.model.text.InstanceOrder;
import saliency.model.text.ParseResult;
import saliency.model.text.SftTargets;
import saliency.model.text.Tokenizer;
import saliency.model.text.Task;
import saliency.model.text.Vocabulary;

/**
 * Turns labelled images into policy inputs, ground-truth polygons into SFT token targets, and completions back into
 * masks; immutable and thread-safe (it borrows, with the {@code mobilenet_v2} encoder, a thread-safe
 * {@link FeatureCache}).
 *
 * <p>The policy input is the image stretched to S x S ({@code conv}), or the frozen MobileNetV2 features of the
 * original image stretched to 224 x 224 ({@code mobilenet_v2}), looked up in the feature cache so that an image's
 * features are computed once while the cache holds them (DUTS training and held-out images are prepared once per run;
 * synthetic training scenes are new every step, so each costs one feature extraction).
 */
public final class ExampleEncoder {
  private final int size;
  private final Resizer resizer;
  private final Tokenizer tokenizer;
  private final SftTargets targets;
  private final MaskPolygons.Options polygonOptions;
  private final FeatureCache features;
  private final boolean prompt;
  private final int policyInputSize;
  private final int groupImages;
  private final PromptMasks promptMasks;

  /**
   * An encoder for {@code settings}; with {@code mobilenet_v2} it uses the process-wide cache of
   * {@link FeatureCache#shared(String, int)} (opened on first use from the weights folder).
   *
   * @throws java.io.UncheckedIOException when the MobileNetV2 weights cannot be read
   */
  public ExampleEncoder(TrainSettings settings) {
    this(settings, !settings.mobileNet() ? null : settings.promptAnswers()
        ? FeatureCache.sharedHypercolumns(settings.intraOpThreads())
        : FeatureCache.shared(settings.encoding().featureMap(), settings.intraOpThreads()));
  }

  /**
   * An encoder for {@code settings} computing frozen features through {@code features}; required (its feature size
   * must match the policy's input) with {@code mobilenet_v2}, must be null with {@code conv}.
   */
  public ExampleEncoder(TrainSettings settings, FeatureCache features) {
    this(settings, features, null);
  }

  private ExampleEncoder(TrainSettings settings, FeatureCache features, PromptMasks promptMasks) {
    Objects.requireNonNull(settings, "settings");
    this.prompt = settings.promptAnswers();
    this.promptMasks = promptMasks;
    this.settings = settings;
    this.policyInputSize = settings.policyConfig().imageInputSize();
    this.groupImages = settings.policyConfig().groupContext();
    if (settings.mobileNet()) {
      Objects.requireNonNull(features, "the mobilenet_v2 encoder needs a feature cache");
      int expect = policyInputSize + (prompt ? SEGMENTER_INPUT : 0);
      if (features.featureSize() != expect) {
        throw new IllegalArgumentException("feature cache gives " + features.featureSize()
            + " floats per image but the policy for feature-map " + settings.encoding().featureMap() + " takes "
            + expect);
      }
    } else if (features != null) {
      throw new IllegalArgumentException("the conv encoder takes pixels; a feature cache would be ignored");
    }
    this.features = features;
    this.size = settings.sizes().imageSize();
    this.resizer = Resizer.stretch(size);
    this.tokenizer = new Tokenizer(new Vocabulary(settings.sizes().bins()));
    this.targets = new SftTargets(tokenizer, settings.sizes().maxVertices(), settings.sizes().maxLen());
    this.polygonOptions =
        MaskPolygons.Options.defaults().withMaxVertices(settings.sizes().maxVertices()).withMaxComponents(2);
  }

  private final TrainSettings settings;

  /** Floats of the promptable segmenter's own input per image (the 28x28x288 map). */
  public static final int SEGMENTER_INPUT = PromptSegmenter.GRID * PromptSegmenter.GRID * PromptSegmenter.C28;

  /** This encoder turning prompt answers into masks through {@code segmenter} (frozen while in use). */
  public ExampleEncoder withSegmenter(PromptSegmenter segmenter) {
    if (!prompt) {
      throw new IllegalStateException("a promptable segmenter serves only prompt answers; these settings answer "
          + settings.encoding().answer());
    }
    return new ExampleEncoder(settings, features, new PromptMasks(segmenter));
  }

  /** True when answers are Seg-R1 prompts. */
  public boolean promptAnswers() {
    return prompt;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public int size() {
    return size;
  }

  /** The feature cache of the {@code mobilenet_v2} encoder, null for {@code conv}. */
  public FeatureCache featureCache() {
    return features;
  }

  /**
   * Makes the policy input (the resized image, or the frozen features of the original image) and resizes the mask to
   * the model resolution; builds the SFT target (traced at original resolution) when {@code withTarget}.
   */
  public Prepared prepare(LabelledImage li, boolean withTarget) {
    return prepare(li, withTarget, false);
  }

  /**
   * As {@link #prepare(LabelledImage, boolean)} for {@code task}: an SIS example's SFT target lists its instances
   * ({@link #instanceTarget}); the other tasks' targets are region answers.
   */
  public Prepared prepare(LabelledImage li, boolean withTarget, Task task) {
    return prepare(li, withTarget, false, null, task);
  }

  /** As {@link #prepareCompact(LabelledImage, boolean)} for {@code task} (see {@link #prepare(LabelledImage, boolean, Task)}). */
  public Prepared prepareCompact(LabelledImage li, boolean withTarget, Task task) {
    return prepare(li, withTarget, true, null, task);
  }

  /**
   * As {@link #prepare}, but the returned {@link Prepared#original()} is the S x S copy of the image and mask, so the
   * original pixels can be dropped (training images kept in memory).
   */
  public Prepared prepareCompact(LabelledImage li, boolean withTarget) {
    return prepare(li, withTarget, true);
  }

  /**
   * Prepares augmented training views ({@link #prepareCompact} with SFT targets), their frozen features computed in
   * one batch and kept out of the feature cache (a view is made once and held by its {@link ViewPool}).
   */
  public List<Prepared> prepareViews(List<LabelledImage> views) {
    return prepareUncached(views, true, true);
  }

  /**
   * Prepares consecutive video frames ({@link #prepare} without SFT targets), their frozen features computed in one
   * batch and kept out of the feature cache (a frame is seen once).
   */
  public List<Prepared> prepareFrames(List<LabelledImage> frames) {
    return prepareUncached(frames, false, false);
  }

  private List<Prepared> prepareUncached(List<LabelledImage> images, boolean withTarget, boolean compact) {
    List<float[]> computed = features == null ? null
        : features.extractUncached(images.stream().map(LabelledImage::image).toList());
    List<Prepared> out = new java.util.ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      out.add(prepare(images.get(i), withTarget, compact, computed == null ? null : computed.get(i)));
    }
    return out;
  }

  /**
   * {@code p} (a frame prepared without a label) with the ground truth {@code label} at the original image's size:
   * the same policy and segmenter inputs, not computed again, and the label resized to the model resolution.
   *
   * @throws IllegalArgumentException when the label's size is not the image's
   */
  public Prepared withLabel(Prepared p, Mask label) {
    LabelledImage o = p.original();
    if (label.width() != o.image().width() || label.height() != o.image().height()) {
      throw new IllegalArgumentException(o.name() + ": label of " + label.width() + "x" + label.height()
          + " for an image of " + o.image().width() + "x" + o.image().height());
    }
    boolean same = label.width() == size && label.height() == size;
    return new Prepared(new LabelledImage(o.name(), o.image(), label), p.input(),
        same ? label : resizer.resizeMask(label), null, p.segmenterInput(), p.task(), p.group());
  }

  /** Floats of input (and segmenter input) one prepared image holds. */
  public int preparedFloats() {
    return Math.max(1, groupImages) * (features == null ? size * size * 3 : features.featureSize());
  }

  /**
   * Prepares the images of one CoSOD group named {@code group} for task {@link Task#COSOD}, in order: each example's
   * input is its own image's, then those of the K-1 members that follow it in the group (cyclically, so a group
   * smaller than K repeats members), K being the policy's {@link saliency.model.policy.PolicyConfig#groupContext()}.
   *
   * @throws IllegalStateException when the policy reads no group context
   * @throws IllegalArgumentException for an empty group
   */
  public List<Prepared> prepareGroup(String group, List<LabelledImage> images, boolean withTarget) {
    Objects.requireNonNull(group, "group");
    if (groupImages == 0) {
      throw new IllegalStateException("task cosod needs a policy that reads a group context (group-context > 0)");
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException("group " + group + " has no image");
    }
    List<Prepared> own = new java.util.ArrayList<>(images.size());
    for (LabelledImage li : images) {
      own.add(prepare(li, withTarget, false, null, Task.COSOD, false));
    }
    List<Prepared> out = new java.util.ArrayList<>(images.size());
    for (int i = 0; i < own.size(); i++) {
      List<float[]> context = new java.util.ArrayList<>(groupImages);
      for (int k = 0; k < groupImages; k++) {
        context.add(own.get((i + k) % own.size()).input());
      }
      Prepared p = own.get(i);
      out.add(new Prepared(p.original(), concat(context), p.modelMask(), p.target(), p.segmenterInput(), Task.COSOD,
          group));
    }
    return out;
  }

  /** Equal-length inputs one after the other (a group context's images, or a batch's examples). */
  private static float[] concat(List<float[]> inputs) {
    int per = inputs.get(0).length;
    float[] out = new float[per * inputs.size()];
    for (int k = 0; k < inputs.size(); k++) {
      System.arraycopy(inputs.get(k), 0, out, k * per, per);
    }
    return out;
  }

  /** The policy input of {@code example}'s own image (without the group context's other images). */
  private float[] ownInput(Prepared example) {
    return groupImages == 0 ? example.input() : java.util.Arrays.copyOf(example.input(), policyInputSize);
  }

  private Prepared prepare(LabelledImage li, boolean withTarget, boolean compact) {
    return prepare(li, withTarget, compact, null);
  }

  private Prepared prepare(LabelledImage li, boolean withTarget, boolean compact, float[] computed) {
    return prepare(li, withTarget, compact, computed, Task.SOD);
  }

  private Prepared prepare(LabelledImage li, boolean withTarget, boolean compact, float[] computed, Task task) {
    return prepare(li, withTarget, compact, computed, task, true);
  }

  /** With {@code alone}, a policy's group context holds the image alone: its input repeated K times. */
  private Prepared prepare(LabelledImage li, boolean withTarget, boolean compact, float[] computed, Task task,
      boolean alone) {
    java.util.Objects.requireNonNull(task, "task");
    if (task == Task.COSOD && alone) {
      throw new IllegalArgumentException(li.name() + ": a cosod example is prepared with its group (prepareGroup)");
    }
    if (task == Task.SIS && prompt) {
      throw new IllegalArgumentException("task sis needs polygon answers (<ins> polygons), not prompt answers");
    }
    boolean same = li.image().width() == size && li.image().height() == size;
    boolean needSmall = features == null || (compact && !same);
    float[] small = !needSmall ? null : same ? li.image().rgb() : resizer.resize(li.image()).image().rgb();
    Mask modelMask = same ? li.mask() : resizer.resizeMask(li.mask());
    float[] input = features == null ? small
        : computed != null ? computed : features.features(li.name(), li.image());
    float[] segmenterInput = null;
    if (prompt) {
      segmenterInput = java.util.Arrays.copyOfRange(input, policyInputSize, input.length);
      input = java.util.Arrays.copyOf(input, policyInputSize);
    }
    if (alone && groupImages > 0) {
      input = concat(java.util.Collections.nCopies(groupImages, input));
    }
    int[] target = !withTarget ? null
        : task == Task.SIS ? instanceTarget(li.instances().isEmpty() ? List.of(li.mask()) : li.instances())
        : target(li.mask());
    LabelledImage original = compact && !same
        ? new LabelledImage(li.name(), new saliency.model.image.RgbImage(size, size, small), modelMask,
            li.instances().stream().map(resizer::resizeMask).toList())
        : li;
    return new Prepared(original, input, modelMask, target, segmenterInput, task);
  }

  /** SFT target ids for a ground-truth mask (its outer contours, simplified), or null when the mask gives none. */
  public int[] target(Mask mask) {
    if (prompt) {
      Answer.Prompt p = PromptTargets.target(mask);
      return p != null && targets.build(p) instanceof SftTargets.Built b ? b.ids() : null;
    }
    List<Polygon> polygons = MaskPolygons.polygons(mask, polygonOptions);
    if (polygons.isEmpty()) {
      return null;
    }
    SftTargets.Target t = targets.build(new Answer.Region(polygons));
    return t instanceof SftTargets.Built b ? b.ids() : null;
  }

  /**
   * SFT target ids of a SIS answer for ground-truth instances, listed in {@link InstanceOrder} (largest first), or
   * null when they give no polygon; for polygon answers only.
   */
  public int[] instanceTarget(List<Mask> instances) {
    if (prompt) {
      throw new IllegalStateException("instance targets need polygon answers, not prompt answers");
    }
    int count = (int) instances.stream().filter(m -> m.count() > 0).count();
    Answer.Instances answer = InstanceOrder.answer(instances,
        polygonOptions.withMaxComponents(1).withMaxVertices(instanceVertices(count)));
    if (answer.instances().isEmpty()) {
      return null;
    }
    return targets.build(answer) instanceof SftTargets.Built b ? b.ids() : null;
  }

  /**
   * Most vertices per instance polygon when a target lists {@code count} instances: as many as let every instance fit
   * in {@code max-len} tokens ({@code <end>} included), at most {@code max-vertices} and at least 3 (with too many
   * instances {@link SftTargets} then drops the last ones).
   */
  int instanceVertices(int count) {
    int per = (settings.sizes().maxLen() - 1) / Math.max(1, count); // tokens per instance
    return Math.max(3, Math.min(settings.sizes().maxVertices(), (per - 2) / 2));
  }

  /** Decodes completion tokens; never throws. */
  public ParseResult decode(int[] tokens) {
    return tokenizer.decode(tokens);
  }

  /**
   * The saliency map ({@code width*height} values in [0,1]) a parsed completion gives for {@code example}: its rasterized
   * polygons, or for a prompt answer the promptable segmenter's probabilities; all zeros for a failed parse.
   */
  public double[] map(Prepared example, ParseResult result, int width, int height) {
    if (result instanceof ParseResult.Parsed p && p.answer() instanceof Answer.Prompt pr) {
      if (promptMasks == null) {
        throw new IllegalStateException("prompt answer but no promptable segmenter (withSegmenter) for "
            + example.original().name());
      }
      if (example.segmenterInput() == null) {
        throw new IllegalStateException(example.original().name() + " was prepared without segmenter features");
      }
      return promptMasks.map(example.segmenterInput(), ownInput(example), pr, width, height);
    }
    boolean[] bits = render(result, width, height).bits();
    double[] out = new double[bits.length];
    for (int i = 0; i < bits.length; i++) {
      out[i] = bits[i] ? 1 : 0;
    }
    return out;
  }

  /** The mask a parsed completion gives for {@code example}: {@link #map} above 0.5. */
  public Mask mask(Prepared example, ParseResult result, int width, int height) {
    if (!(result instanceof ParseResult.Parsed p && p.answer() instanceof Answer.Prompt)) {
      return render(result, width, height);
    }
    return threshold(map(example, result, width, height), width, height);
  }

  /** The mask of a saliency map's values above 0.5. */
  public static Mask threshold(double[] map, int width, int height) {
    boolean[] bits = new boolean[map.length];
    for (int j = 0; j < map.length; j++) {
      bits[j] = map[j] > 0.5;
    }
    return new Mask(width, height, bits);
  }

  /** The mask a parsed completion's polygons draw at {@code width x height}; empty for a failed parse or a prompt. */
  public static Mask render(ParseResult result, int width, int height) {
    if (result instanceof ParseResult.Parsed p) {
      return PolygonRasterizer.rasterizeUnion(ParseResult.polygonsOf(p.answer()), width, height);
    }
    return new Mask(width, height);
  }

  /** Vertices in a parsed completion, 0 for a failed parse. */
  public static int vertices(ParseResult result) {
    if (result instanceof ParseResult.Parsed p) {
      return ParseResult.polygonsOf(p.answer()).stream().mapToInt(Polygon::size).sum();
    }
    return 0;
  }

  /** Concatenates the inputs of a batch into one {@code (N, S, S, 3)} (or {@code (N, G, G, C)} features) array. */
  public static float[] stack(List<Prepared> batch) {
    return concat(batch.stream().map(Prepared::input).toList());
  }
}
