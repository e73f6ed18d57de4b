package saliency.model.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A deterministic stream of synthetic CoSOD groups; group {@code i} is a pure function of {@code (settings, i)} and
 * the stream holds no state (thread-safe).
 *
 * <p>Each group of {@code groupSize} images shares one object: the same kind of shape (with the same aspect and
 * outline parameters) in the same colour, at a random place, size and rotation in each image. Each image also holds
 * {@code minDistractors..maxDistractors} equally salient objects of other kinds and other colours. The ground-truth
 * mask of an image is the shared object alone; backgrounds are those of {@link SyntheticScenes}, painted by the same
 * {@link SceneCanvas} and placed by the same {@link SceneBuilder}.
 */
public final class SyntheticGroups {

  /**
   * Group generation settings; an immutable value.
   *
   * @param width image width in pixels
   * @param height image height in pixels
   * @param groupSize images per group (at least 2)
   * @param minDistractors fewest distractor objects per image
   * @param maxDistractors most distractor objects per image
   * @param seed the stream seed; group {@code i} depends only on {@code (seed, i)}
   */
  public record Settings(int width, int height, int groupSize, int minDistractors, int maxDistractors, long seed) {
    /** Images per group by default. */
    public static final int DEFAULT_GROUP_SIZE = 4;

    public Settings {
      if (width < 8 || height < 8) {
        throw new IllegalArgumentException("group image size must be at least 8x8: " + width + "x" + height);
      }
      if (groupSize < 2) {
        throw new IllegalArgumentException("a group needs at least 2 images, got " + groupSize);
      }
      if (minDistractors < 0 || maxDistractors < minDistractors) {
        throw new IllegalArgumentException("distractors must satisfy 0 <= min <= max: "
            + minDistractors + ".." + maxDistractors);
      }
    }

    /** 64x64 images, {@link #DEFAULT_GROUP_SIZE} per group, one or two distractors each. */
    public static Settings defaults(long seed) {
      return new Settings(64, 64, DEFAULT_GROUP_SIZE, 1, 2, seed);
    }

    public Settings withSize(int w, int h) {
      return new Settings(w, h, groupSize, minDistractors, maxDistractors, seed);
    }

    public Settings withGroupSize(int n) {
      return new Settings(width, height, n, minDistractors, maxDistractors, seed);
    }
  }

  /** One generated group: its name and images, and the distractor masks of each image (for checks). */
  record Group(String name, List<LabelledImage> images, List<List<saliency.model.geometry.Mask>> distractors) {}

  private final Settings settings;

  public SyntheticGroups(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public Settings settings() {
    return settings;
  }

  /** The name of group {@code index}, {@code cosod-SEED-INDEX} (its images add {@code -K}). */
  public String name(long index) {
    return "cosod-" + settings.seed() + "-" + index;
  }

  /** The images of group {@code index}, in order: a pure function of {@code (settings, index)}. */
  public List<LabelledImage> get(long index) {
    return group(index).images();
  }

  /** Group {@code index} with the distractor masks of its images. */
  Group group(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0: " + index);
    }
    SplittableRandom rnd = new SplittableRandom(SyntheticScenes.mix(settings.seed() * 0x9E3779B97F4A7C15L + index));
    SceneShape shared = SceneBuilder.randomUnit(rnd, false, null);
    float[] colour = SceneCanvas.hsv(rnd.nextDouble(), 0.7 + 0.3 * rnd.nextDouble(), 0.65 + 0.35 * rnd.nextDouble());
    SyntheticScenes.Settings scene = SyntheticScenes.Settings.defaults(settings.seed())
        .withSize(settings.width(), settings.height());
    String name = name(index);
    List<LabelledImage> images = new ArrayList<>(settings.groupSize());
    List<List<saliency.model.geometry.Mask>> distractors = new ArrayList<>(settings.groupSize());
    for (int k = 0; k < settings.groupSize(); k++) {
      SplittableRandom own = rnd.split();
      int count = settings.minDistractors() + own.nextInt(settings.maxDistractors() - settings.minDistractors() + 1);
      SyntheticScenes.Scene s = new SceneBuilder(scene, own).buildGroupMember(name + "-" + k, shared, colour, count);
      images.add(s.labelled());
      distractors.add(s.distractors());
    }
    return new Group(name, List.copyOf(images), List.copyOf(distractors));
  }
}
