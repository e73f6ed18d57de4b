package saliency.actors.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import saliency.actors.train.OnlineTraining;
import saliency.model.data.LabelledImage;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.policy.PolicyNetwork;
import saliency.model.segment.PromptSegmenter;
import saliency.model.segment.SegmenterCheckpoint;
import saliency.model.text.AnswerRenderer;
import saliency.model.text.ParseResult;
import saliency.model.text.Vocabulary;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.RunFolder;
import saliency.model.train.TrainSettings;
import saliency.model.video.VideoFrame;
import saliency.streams.video.FrameAnswer;
import saliency.streams.video.FramePredictor;

/**
 * The greedy answer of a trained run's policy for one image at a time, as {@code eval --samples 1} computes it: the
 * run's settings, its weights ({@code policy.ckpt}, or the learner slices of a stopped run), and for prompt answers its
 * promptable segmenter. Owns TensorFlow sessions: one thread at a time, and close it.
 */
public final class RunPredictor implements FramePredictor.Blocking, AutoCloseable {
  private final PolicyNetwork net;
  private final PromptSegmenter segmenter;
  private final ExampleEncoder encoder;
  private final Vocabulary vocabulary;
  private final TrainSettings settings;
  private final AtomicLong calls = new AtomicLong();
  /** Drawing a prompt answer runs the promptable segmenter's session: one frame at a time. */
  private final Object drawing = new Object();

  private RunPredictor(PolicyNetwork net, PromptSegmenter segmenter, ExampleEncoder encoder, Vocabulary vocabulary,
      TrainSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.net = Objects.requireNonNull(net, "net");
    this.segmenter = segmenter;
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
  }

  /**
   * Opens the run in {@code runDir} with {@code threads} TensorFlow intra-op threads; {@code notes} hears one line
   * when the weights come from the learner slices of a stopped run.
   */
  public static RunPredictor open(Path runDir, int threads, Consumer<String> notes) throws IOException {
    Objects.requireNonNull(notes, "notes");
    RunFolder folder = new RunFolder(runDir);
    TrainSettings s = folder.readSettings().withThreads(threads);
    PolicyNetwork net = PolicyNetwork.create(s.policyConfig());
    PromptSegmenter segmenter = null;
    try {
      if (restoreWeights(folder, net)) {
        notes.accept(folder.dir() + " has no " + RunFolder.POLICY + " (a stopped run): using its learner slice "
            + "checkpoints");
      }
      ExampleEncoder encoder = new ExampleEncoder(s);
      if (s.promptAnswers()) {
        segmenter = PromptSegmenter.create(s.seed(), threads);
        SegmenterCheckpoint.load(folder.segmenterFile(), segmenter);
        encoder = encoder.withSegmenter(segmenter);
      }
      return new RunPredictor(net, segmenter, encoder, new Vocabulary(s.sizes().bins()), s);
    } catch (IOException | RuntimeException e) {
      if (segmenter != null) {
        segmenter.close();
      }
      net.close();
      throw e;
    }
  }

  /**
   * Loads the run's {@code policy.ckpt} into {@code net}, or, for a run stopped before writing it, the weights of its
   * learner slice checkpoints; true in the second case.
   *
   * @throws IOException when the run has neither
   */
  public static boolean restoreWeights(RunFolder folder, PolicyNetwork net) throws IOException {
    if (Files.exists(folder.policyFile())) {
      PolicyCheckpoint.restore(folder.policyFile(), net);
      return false;
    }
    float[] w = OnlineTraining.weightsFromSlices(folder.dir(), net.parameterCount()).orElseThrow(() ->
        new IOException(folder.dir() + " has no " + RunFolder.POLICY + " and no complete set of learner slice "
            + "checkpoints (learner/slice-*.ckpt): nothing to evaluate"));
    net.setFlatWeights(w);
    return true;
  }

  /** The greedy answer for {@code image}: the completion's text and its saliency map at the image's size. */
  public FrameAnswer predict(RgbImage image) {
    Objects.requireNonNull(image, "image");
    Prepared p = prepare(List.of(unlabelled(image))).get(0);
    return answer(p, greedy(p), FrameAnswer.NO_VERSION);
  }

  /** {@code image} as an example without a label, under a unique name. */
  public LabelledImage unlabelled(RgbImage image) {
    return new LabelledImage("video-frame-" + calls.incrementAndGet(), image, new Mask(image.width(), image.height()));
  }

  /** The policy inputs of consecutive images (the resized pixels, or their frozen features in one batch). */
  public List<Prepared> prepare(List<LabelledImage> images) {
    return encoder.prepareFrames(images);
  }

  /** The greedy completion's tokens for {@code p} from this predictor's own network. */
  public int[] greedy(Prepared p) {
    return greedy(List.of(p))[0];
  }

  /** The greedy completions' tokens for a batch, in one call of this predictor's own network. */
  public int[][] greedy(List<Prepared> batch) {
    int[] prompts = new int[batch.size()];
    java.util.Arrays.fill(prompts, Vocabulary.SOD);
    return net.sample(ExampleEncoder.stack(batch), batch.size(), prompts, 1.0, true, 7).tokens();
  }

  /**
   * The answer that {@code tokens} give for {@code p}: the parsed completion's text (or the raw token text when it
   * does not parse) and its saliency map at the original image's size, from policy version {@code version}; the map
   * is drawn when first used (any thread).
   */
  public FrameAnswer answer(Prepared p, int[] tokens, long version) {
    int w = p.original().image().width();
    int h = p.original().image().height();
    ParseResult r = encoder.decode(tokens);
    String text = r instanceof ParseResult.Parsed parsed ? AnswerRenderer.render(parsed.answer())
        : vocabulary.toText(tokens);
    if (!settings.promptAnswers()) {
      return FrameAnswer.drawn(text, version, w * h, () -> encoder.map(p, r, w, h), p);
    }
    // a prompt answer's map comes from the promptable segmenter's session: one drawing at a time
    return FrameAnswer.drawn(text, version, w * h, () -> {
      synchronized (drawing) {
        return encoder.map(p, r, w, h);
      }
    }, p);
  }

  /** The run's training settings (with this predictor's thread count). */
  public TrainSettings settings() {
    return settings;
  }

  /** The run's policy network with its trained weights (owned by this predictor: one thread at a time). */
  public PolicyNetwork network() {
    return net;
  }

  /** The encoder that prepares inputs and draws maps (thread-safe). */
  public ExampleEncoder encoder() {
    return encoder;
  }

  @Override
  public FrameAnswer predict(VideoFrame frame) {
    return predict(frame.image());
  }

  @Override
  public void close() {
    if (segmenter != null) {
      segmenter.close();
    }
    net.close();
  }
}
