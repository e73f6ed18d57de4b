package saliency.model.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import saliency.model.data.Augmentation;
import saliency.model.data.LabelledImage;

/**
 * Augmented training views of a folder's training images, made once per run and held with their frozen features
 * (bounded by {@link Augmentation.Settings#maxMib}), so that every later draw of a view is a hit on memory instead of a
 * feature extraction; owns the views and its counters. Drawing is thread-safe (the counters are atomic, the views
 * immutable).
 */
public final class ViewPool {
  /** Images per feature-extraction batch while the views are made. */
  static final int BATCH = 16;

  private final Augmentation.Settings settings;
  private final Map<String, List<Prepared>> views;
  private final int made;
  private final int copyPasted;
  private final int noBackground;
  private final int perImage;
  private final long bytes;
  private final double seconds;
  private final AtomicLong draws = new AtomicLong();
  private final AtomicLong viewDraws = new AtomicLong();

  private ViewPool(Augmentation.Settings settings, Map<String, List<Prepared>> views, int made, int copyPasted,
      int noBackground, int perImage, long bytes, double seconds) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.views = Objects.requireNonNull(views, "views");
    this.made = made;
    this.copyPasted = copyPasted;
    this.noBackground = noBackground;
    this.perImage = perImage;
    this.bytes = bytes;
    this.seconds = seconds;
  }

  /** A pool without views: every draw is the plain image. */
  public static ViewPool none() {
    return new ViewPool(Augmentation.Settings.off(), Map.of(), 0, 0, 0, 0, 0, 0);
  }

  /**
   * Makes up to {@code settings.views()} views of each of {@code sources} (training images at the encoder's feature
   * resolution, image and mask the same size, names unique) and prepares them with {@code encoder}, with SFT targets.
   * A view is a crop (share {@code 1 - copyPaste}) or a copy-paste of the image's object onto another source's
   * background, then mirrored half the time and colour-jittered. Views per image are lowered until all fit in
   * {@code maxMib}.
   */
  public static ViewPool build(ExampleEncoder encoder, List<LabelledImage> sources, Augmentation.Settings settings,
      long seed) {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(sources, "sources");
    if (!settings.enabled() || sources.isEmpty()) {
      return new ViewPool(settings, Map.of(), 0, 0, 0, 0, 0, 0);
    }
    long t0 = System.nanoTime();
    long perView = 4L * encoder.preparedFloats();
    int fit = (int) Math.min(settings.views(), (settings.maxMib() * 1048576L) / Math.max(1, perView * sources.size()));
    Map<String, List<Prepared>> views = new HashMap<>();
    if (fit == 0) {
      return new ViewPool(settings, views, 0, 0, 0, 0, 0, (System.nanoTime() - t0) / 1e9);
    }
    Random rnd = new Random(seed ^ 0x5EED_A06L);
    List<LabelledImage> batch = new ArrayList<>(BATCH);
    int copyPasted = 0;
    int noBackground = 0;
    int made = 0;
    for (int i = 0; i < sources.size(); i++) {
      LabelledImage src = sources.get(i);
      for (int v = 0; v < fit; v++) {
        LabelledImage view = null;
        if (rnd.nextDouble() < settings.copyPaste() && sources.size() > 1) {
          List<LabelledImage> backgrounds = new ArrayList<>(4);
          for (int t = 0; t < 4; t++) {
            int j = rnd.nextInt(sources.size() - 1);
            backgrounds.add(sources.get(j >= i ? j + 1 : j));
          }
          view = Augmentation.copyPaste(src, backgrounds, rnd).orElse(null);
          if (view == null) {
            noBackground++;
          } else {
            copyPasted++;
          }
        }
        if (view == null) {
          view = Augmentation.crop(src, rnd, settings.minCropArea());
        }
        if (rnd.nextBoolean()) {
          view = Augmentation.flip(view);
        }
        view = Augmentation.jitter(view, rnd, settings.jitter());
        batch.add(new LabelledImage(src.name() + "#view" + v, view.image(), view.mask()));
        if (batch.size() == BATCH) {
          made += prepare(encoder, batch, views);
        }
      }
    }
    made += prepare(encoder, batch, views);
    return new ViewPool(settings, views, made, copyPasted, noBackground, fit, made * perView,
        (System.nanoTime() - t0) / 1e9);
  }

  private static int prepare(ExampleEncoder encoder, List<LabelledImage> batch, Map<String, List<Prepared>> views) {
    int n = 0;
    for (Prepared p : encoder.prepareViews(batch)) {
      String name = p.original().name();
      views.computeIfAbsent(name.substring(0, name.lastIndexOf("#view")), k -> new ArrayList<>()).add(p);
      n++;
    }
    batch.clear();
    return n;
  }

  /** True when draws may return views. */
  public boolean active() {
    return made > 0 && settings.share() > 0;
  }

  /** With probability {@code share}, one of {@code plain}'s views (when it has any), else {@code plain} itself. */
  public Prepared draw(Prepared plain, Random rnd) {
    draws.incrementAndGet();
    List<Prepared> vs = views.get(plain.original().name());
    if (vs == null || vs.isEmpty() || !(rnd.nextDouble() < settings.share())) {
      return plain;
    }
    viewDraws.incrementAndGet();
    return vs.get(rnd.nextInt(vs.size()));
  }

  /** {@code plain} with each element passed through {@link #draw} (its own random stream, seeded by {@code seed}). */
  public Iterator<Prepared> mix(Iterator<Prepared> plain, long seed) {
    if (!active()) {
      return plain;
    }
    Random rnd = new Random(seed ^ 0x0D1CE5L);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return plain.hasNext();
      }

      @Override
      public Prepared next() {
        return draw(plain.next(), rnd);
      }
    };
  }

  /** Views held. */
  public int size() {
    return made;
  }

  /** What the pool holds and how often it served, in one line. */
  public String summary() {
    if (made == 0) {
      return settings.enabled() ? "no augmented views (the max-mib bound holds none)" : "augmentation off";
    }
    return String.format(Locale.ROOT, "%d augmented views (%d per image, %d copy-paste, %d crops for want of a clean "
            + "background), %.0f MiB, made in %.1f s; %d of %d draws were views (hits)", made, perImage, copyPasted,
        noBackground, bytes / 1048576.0, seconds, viewDraws.get(), draws.get());
  }

  /** Draws so far and how many of them returned a view. */
  public long[] counts() {
    return new long[] {draws.get(), viewDraws.get()};
  }
}
