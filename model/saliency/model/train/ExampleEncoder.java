package saliency.model.train;

import java.util.List;
import java.util.Objects;
import saliency.model.data.LabelledImage;
import saliency.model.geometry.Mask;
import saliency.model.geometry.MaskPolygons;
import saliency.model.geometry.Polygon;
import saliency.model.geometry.PolygonRasterizer;
import saliency.model.image.Resizer;
import saliency.model.text.Answer;
import saliency.model.text.ParseResult;
import saliency.model.text.SftTargets;
import saliency.model.text.Tokenizer;
import saliency.model.text.Vocabulary;

/**
 * Turns labelled images into policy inputs, ground-truth polygons into SFT token targets, and completions back into
 * masks; immutable and thread-safe.
 */
public final class ExampleEncoder {
  private final int size;
  private final Resizer resizer;
  private final Tokenizer tokenizer;
  private final SftTargets targets;
  private final MaskPolygons.Options polygonOptions;

  public ExampleEncoder(TrainSettings settings) {
    Objects.requireNonNull(settings, "settings");
    this.size = settings.imageSize();
    this.resizer = Resizer.stretch(size);
    this.tokenizer = new Tokenizer(new Vocabulary(settings.bins()));
    this.targets = new SftTargets(tokenizer, settings.maxVertices(), settings.maxLen());
    this.polygonOptions = MaskPolygons.Options.defaults().withMaxVertices(settings.maxVertices()).withMaxComponents(2);
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public int size() {
    return size;
  }

  /** Resizes the image and mask to the model resolution; builds the SFT target when {@code withTarget}. */
  public Prepared prepare(LabelledImage li, boolean withTarget) {
    boolean same = li.image().width() == size && li.image().height() == size;
    float[] input = same ? li.image().rgb() : resizer.resize(li.image()).image().rgb();
    Mask modelMask = same ? li.mask() : resizer.resizeMask(li.mask());
    return new Prepared(li, input, modelMask, withTarget ? target(li.mask()) : null);
  }

  /** SFT target ids for a ground-truth mask (its outer contours, simplified), or null when the mask gives none. */
  public int[] target(Mask mask) {
    List<Polygon> polygons = MaskPolygons.polygons(mask, polygonOptions);
    if (polygons.isEmpty()) {
      return null;
    }
    SftTargets.Target t = targets.build(new Answer.Region(polygons));
    return t instanceof SftTargets.Built b ? b.ids() : null;
  }

  /** Decodes completion tokens; never throws. */
  public ParseResult decode(int[] tokens) {
    return tokenizer.decode(tokens);
  }

  /** The mask a parsed completion draws at {@code width x height}; empty for a failed parse. */
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

  /** Concatenates the inputs of a batch into one {@code (N, S, S, 3)} array. */
  public static float[] stack(List<Prepared> batch) {
    int per = batch.get(0).input().length;
    float[] out = new float[per * batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).input(), 0, out, i * per, per);
    }
    return out;
  }
}
