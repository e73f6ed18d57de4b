package saliency.model.segment;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import saliency.model.text.Answer;
import saliency.model.tfjs.Bilinear;

/**
 * Prompt answers to saliency maps through a frozen {@link PromptSegmenter}: caches each image's prompt-independent
 * {@link PromptSegmenter#base} (keyed by the identity of the image's feature array, held weakly, so an entry lives as
 * long as its example) and upsamples the 28x28 probabilities to the requested size. Thread-safe; it borrows the
 * segmenter, whose weights must not change while it is in use.
 */
public final class PromptMasks {
  private final PromptSegmenter segmenter;
  private final Map<float[], float[]> bases = Collections.synchronizedMap(new WeakHashMap<>());

  public PromptMasks(PromptSegmenter segmenter) {
    this.segmenter = Objects.requireNonNull(segmenter, "segmenter");
  }

  public PromptSegmenter segmenter() {
    return segmenter;
  }

  /**
   * Foreground probabilities ({@code width*height}, row-major, in [0,1]) of one image's prompt answer.
   *
   * @param f28 the image's 28x28x288 features (its identity keys the cache: pass the same array for the same image)
   * @param f14 the image's 14x14x816 features
   */
  public double[] map(float[] f28, float[] f14, Answer.Prompt prompt, int width, int height) {
    Objects.requireNonNull(f28, "f28");
    Objects.requireNonNull(f14, "f14");
    float[] base = bases.get(f28);
    if (base == null) {
      base = segmenter.base(f28, f14);
      bases.put(f28, base);
    }
    float[] grid = segmenter.probabilities(base, PromptSegmenter.promptChannels(prompt), 1); // (28, 28)
    float[] up = width == PromptSegmenter.GRID && height == PromptSegmenter.GRID ? grid
        : Bilinear.resize(grid, PromptSegmenter.GRID, PromptSegmenter.GRID, 1, width, height);
    double[] out = new double[up.length];
    for (int i = 0; i < up.length; i++) {
      out[i] = Math.max(0, Math.min(1, up[i]));
    }
    return out;
  }

  /** Images whose base is cached now. */
  public int cachedImages() {
    return bases.size();
  }
}
