package saliency.model.data;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import saliency.model.geometry.Mask;

/**
 * An endless, deterministic stream of synthetic saliency scenes; scene {@code i} is a pure function of
 * {@code (seed, i)}, and the stream owns only its cursor for {@link #next()} ({@link #get} is thread-safe,
 * {@link #next()} is not).
 *
 * <p>Each scene has a textured or gradient background (noise, stripes, checker, smooth gradient) in one colour
 * family, low-contrast distractor objects whose colour stays close to the background under them, and one to
 * three salient objects (instances) that stand out: a saturated colour far from the local background, drawn
 * last and never overlapping each other or the image border. The ground-truth mask is the union of the salient
 * instances; {@link LabelledImage#instances()} holds each one.
 *
 * <p>{@link SceneBuilder} places the objects of one scene, {@link SceneCanvas} paints them, {@link SceneShape} is
 * their geometry.
 */
public final class SyntheticScenes {

  /**
   * Scene generation settings; an immutable value.
   *
   * @param width image width in pixels (default 64)
   * @param height image height in pixels (default 64)
   * @param minDistractors fewest low-contrast distractor objects per scene (default 0)
   * @param maxDistractors most low-contrast distractor objects per scene (default 2)
   * @param minSalient fewest salient instances per scene (default 1; SOD uses exactly one)
   * @param maxSalient most salient instances per scene (default 1; up to 3 for SIS)
   * @param minSalientArea smallest fraction of the image covered by the salient mask (default 0.05)
   * @param maxSalientArea largest fraction of the image covered by the salient mask (default 0.5)
   * @param rotate whether objects get a random rotation (default true)
   * @param seed the stream seed; scene {@code i} depends only on {@code (seed, i)}
   * @param camouflage COD scenes: each salient object's texture is the background itself, read at a random offset,
   *     and its colour the background's plus a small shift (RGB distance {@link #CAMOUFLAGE_MIN_SHIFT} to
   *     {@link #CAMOUFLAGE_MAX_SHIFT}), so only a faint colour change and the broken texture mark it (default false)
   */
  public record Settings(
      int width,
      int height,
      int minDistractors,
      int maxDistractors,
      int minSalient,
      int maxSalient,
      double minSalientArea,
      double maxSalientArea,
      boolean rotate,
      long seed,
      boolean camouflage) {
    /** Smallest and largest RGB distance between a camouflaged object and the background it copies. */
    public static final double CAMOUFLAGE_MIN_SHIFT = 0.10;
    public static final double CAMOUFLAGE_MAX_SHIFT = 0.18;

    /** Settings without camouflage. */
    public Settings(int width, int height, int minDistractors, int maxDistractors, int minSalient, int maxSalient,
        double minSalientArea, double maxSalientArea, boolean rotate, long seed) {
      this(width, height, minDistractors, maxDistractors, minSalient, maxSalient, minSalientArea, maxSalientArea,
          rotate, seed, false);
    }

    public Settings {
      if (width < 8 || height < 8) {
        throw new IllegalArgumentException("scene size must be at least 8x8: " + width + "x" + height);
      }
      if (minDistractors < 0 || maxDistractors < minDistractors) {
        throw new IllegalArgumentException("distractors must satisfy 0 <= min <= max: "
            + minDistractors + ".." + maxDistractors);
      }
      if (minSalient < 1 || maxSalient < minSalient || maxSalient > 3) {
        throw new IllegalArgumentException("salient instances must satisfy 1 <= min <= max <= 3: "
            + minSalient + ".." + maxSalient);
      }
      if (!(minSalientArea > 0 && minSalientArea < maxSalientArea && maxSalientArea <= 0.6)) {
        throw new IllegalArgumentException("salient area must satisfy 0 < min < max <= 0.6: "
            + minSalientArea + ".." + maxSalientArea);
      }
    }

    /** 64x64 scenes, 0-2 distractors, one salient object of 5%-50% of the image, rotated shapes. */
    public static Settings defaults(long seed) {
      return new Settings(64, 64, 0, 2, 1, 1, 0.05, 0.5, true, seed);
    }

    public Settings withSize(int w, int h) {
      return new Settings(w, h, minDistractors, maxDistractors, minSalient, maxSalient, minSalientArea,
          maxSalientArea, rotate, seed, camouflage);
    }

    public Settings withSalient(int min, int max) {
      return new Settings(width, height, minDistractors, maxDistractors, min, max, minSalientArea,
          maxSalientArea, rotate, seed, camouflage);
    }

    public Settings withDistractors(int min, int max) {
      return new Settings(width, height, min, max, minSalient, maxSalient, minSalientArea, maxSalientArea,
          rotate, seed, camouflage);
    }

    /** These settings with camouflaged (COD) or salient objects. */
    public Settings withCamouflage(boolean on) {
      return new Settings(width, height, minDistractors, maxDistractors, minSalient, maxSalient, minSalientArea,
          maxSalientArea, rotate, seed, on);
    }
  }

  private final Settings settings;
  private long cursor;

  public SyntheticScenes(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Default 64x64 scenes from {@code seed}. */
  public SyntheticScenes(long seed) {
    this(Settings.defaults(seed));
  }

  public Settings settings() {
    return settings;
  }

  /** The scene at the cursor, then advances it (the first call returns {@code get(0)}). */
  public LabelledImage next() {
    return get(cursor++);
  }

  /** The index the next call to {@link #next()} returns. */
  public long cursor() {
    return cursor;
  }

  /** Moves the cursor (to resume a stream). */
  public void seek(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0: " + index);
    }
    cursor = index;
  }

  /** Scene {@code index}: a pure function of {@code (settings, index)}. */
  public LabelledImage get(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0: " + index);
    }
    return scene(index).labelled();
  }

  /** Scene {@code index} with its distractor masks (for checks of the generator itself). */
  Scene scene(long index) {
    SplittableRandom rnd = new SplittableRandom(mix(settings.seed() * 0x9E3779B97F4A7C15L + index));
    return new SceneBuilder(settings, rnd).build("synthetic-" + settings.seed() + "-" + index);
  }

  /** A generated scene and the masks of its low-contrast distractors as drawn (salient objects on top). */
  record Scene(LabelledImage labelled, List<Mask> distractors) {}

  /** SplitMix64 finalizer: a well-mixed 64-bit function of {@code z}. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
