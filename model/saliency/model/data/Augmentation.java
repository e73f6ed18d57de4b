package saliency.model.data;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import saliency.model.geometry.Mask;
import saliency.model.image.Resizer;
import saliency.model.image.RgbImage;

/**
 * Label-preserving image augmentations for training views: left-right flip, random resized crop, colour jitter, and
 * copy-paste compositing (an object cut out by its mask and pasted onto another image's object-free background); every
 * operation transforms the mask exactly as it transforms the pixels. Stateless; randomness comes from the caller's
 * {@link Random}.
 */
public final class Augmentation {
  /**
   * What a training view is made of; mirrors the {@code saliency.train.augment} HOCON keys.
   *
   * @param views augmented views kept per training image, 0 turns augmentation off ({@code views}, 0)
   * @param share share of training draws that take one of the image's views instead of the plain image
   *     ({@code share}, 0.5)
   * @param copyPaste share of views that are copy-paste composites; the rest are crops ({@code copy-paste}, 0)
   * @param minCropArea smallest crop, as a share of the image's area ({@code min-crop-area}, 0.4)
   * @param jitter largest relative change of brightness, contrast and saturation ({@code jitter}, 0.25)
   * @param maxMib memory bound of all views' features; fewer views per image are kept when they would not fit
   *     ({@code max-mib}, 1536)
   */
  public record Settings(int views, double share, double copyPaste, double minCropArea, double jitter, int maxMib) {
    public Settings {
      check(views >= 0 && views <= 16, "views", views, "0..16");
      check(share >= 0 && share <= 1, "share", share, "[0, 1]");
      check(copyPaste >= 0 && copyPaste <= 1, "copy-paste", copyPaste, "[0, 1]");
      check(minCropArea > 0.05 && minCropArea <= 1, "min-crop-area", minCropArea, "(0.05, 1]");
      check(jitter >= 0 && jitter < 1, "jitter", jitter, "[0, 1)");
      check(maxMib >= 0, "max-mib", maxMib, ">= 0");
    }

    /**
     * The defaults: no views. In 10-minute runs on duts-tr-500 (3 seeds) two crop views per image, drawn half the time,
     * raised the held-out DUTS figures about as much as they lowered the cross-set DAVIS ones, at the cost of 40 s and
     * 1 GB per run, and copy-paste composites lowered the DAVIS figures in every seed; both stay options
     * ({@link #measured()}).
     */
    public static Settings defaults() {
      return new Settings(0, 0.5, 0.0, 0.4, 0.25, 1536);
    }

    /** The measured view setting: two crop views per image, drawn half the time ({@code --augment-views 2}). */
    public static Settings measured() {
      return new Settings(2, 0.5, 0.0, 0.4, 0.25, 1536);
    }

    /** No augmentation: training draws only the plain images. */
    public static Settings off() {
      return new Settings(0, 0, 0, 0.4, 0, 0);
    }

    /** These settings with the three that the command lines set. */
    public Settings with(int newViews, double newShare, double newCopyPaste) {
      return new Settings(newViews, newShare, newCopyPaste, minCropArea, jitter, maxMib);
    }

    public boolean enabled() {
      return views > 0 && share > 0;
    }

    private static void check(boolean ok, String key, double value, String range) {
      if (!ok) {
        throw new IllegalArgumentException("augment." + key + " must be in " + range + ", got " + value);
      }
    }
  }

  /** Largest share of salient pixels a background crop may hold for copy-paste. */
  static final double MAX_BACKGROUND_SALIENCY = 0.02;
  /**
   * Smallest side of a background crop, as a share of the background image's side: salient objects cover much of a
   * DUTS image, and crops of 58 % of the side and more found a clean background for 8 of 398 composites.
   */
  static final double MIN_BACKGROUND_SIDE = 0.3;
  /** Random crops tried per background image. */
  static final int BACKGROUND_TRIES = 24;

  private Augmentation() {}

  /** The image and mask mirrored left-right. */
  public static LabelledImage flip(LabelledImage li) {
    RgbImage img = li.image();
    int w = img.width();
    int h = img.height();
    float[] src = img.rgb();
    float[] out = new float[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(src, (y * w + (w - 1 - x)) * 3, out, (y * w + x) * 3, 3);
      }
    }
    Mask m = li.mask();
    boolean[] b = new boolean[m.width() * m.height()];
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        b[y * m.width() + x] = m.get(m.width() - 1 - x, y);
      }
    }
    return new LabelledImage(li.name(), new RgbImage(w, h, out), new Mask(m.width(), m.height(), b));
  }

  /**
   * A random crop of at least {@code minArea} of the image (aspect ratio between 3:4 and 4:3 of the image's) stretched
   * back to the image's size; a crop keeping less than half of the object's pixels is redrawn (ten tries, then the
   * whole image is kept).
   */
  public static LabelledImage crop(LabelledImage li, Random rnd, double minArea) {
    int w = li.image().width();
    int h = li.image().height();
    requireSameSize(li);
    int objectPixels = li.mask().count();
    for (int attempt = 0; attempt < 10; attempt++) {
      double area = minArea + (1 - minArea) * rnd.nextDouble();
      double aspect = Math.exp((rnd.nextDouble() * 2 - 1) * Math.log(4.0 / 3));
      int cw = (int) Math.round(w * Math.sqrt(area * aspect));
      int ch = (int) Math.round(h * Math.sqrt(area / aspect));
      if (cw < 2 || ch < 2 || cw > w || ch > h) {
        continue;
      }
      int x0 = rnd.nextInt(w - cw + 1);
      int y0 = rnd.nextInt(h - ch + 1);
      if (objectPixels > 0 && 2 * countIn(li.mask(), x0, y0, cw, ch) < objectPixels) {
        continue;
      }
      return region(li, x0, y0, cw, ch, w, h);
    }
    return li;
  }

  /**
   * Brightness, contrast and saturation each scaled by a factor drawn from {@code [1 - strength, 1 + strength]}, in a
   * random order of the three; the mask is unchanged.
   */
  public static LabelledImage jitter(LabelledImage li, Random rnd, double strength) {
    if (strength == 0) {
      return li;
    }
    float[] px = li.image().rgb().clone();
    int[] order = {0, 1, 2};
    for (int i = 2; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (int op : order) {
      float f = (float) (1 + strength * (rnd.nextDouble() * 2 - 1));
      switch (op) {
        case 0 -> {
          for (int i = 0; i < px.length; i++) {
            px[i] *= f;
          }
        }
        case 1 -> {
          double mean = 0;
          for (float v : px) {
            mean += v;
          }
          float m = (float) (mean / px.length);
          for (int i = 0; i < px.length; i++) {
            px[i] = m + (px[i] - m) * f;
          }
        }
        default -> {
          for (int i = 0; i < px.length; i += 3) {
            float g = 0.299f * px[i] + 0.587f * px[i + 1] + 0.114f * px[i + 2];
            for (int c = 0; c < 3; c++) {
              px[i + c] = g + (px[i + c] - g) * f;
            }
          }
        }
      }
    }
    for (int i = 0; i < px.length; i++) {
      px[i] = Math.max(0f, Math.min(1f, px[i]));
    }
    RgbImage img = li.image();
    return new LabelledImage(li.name(), new RgbImage(img.width(), img.height(), px), li.mask());
  }

  /**
   * The object of {@code object} (its mask's bounding box, scaled by a factor in [0.5, 1.1] and placed anywhere inside
   * the frame) pasted over an object-free crop of one of {@code backgrounds}, stretched to the object image's size; the
   * new mask is exactly the pasted object. Empty when the object's mask is empty or no background has a crop (sides at
   * least {@link #MIN_BACKGROUND_SIDE} of its own) with at most {@link #MAX_BACKGROUND_SALIENCY} salient pixels.
   */
  public static java.util.Optional<LabelledImage> copyPaste(LabelledImage object, List<LabelledImage> backgrounds,
      Random rnd) {
    requireSameSize(object);
    int w = object.image().width();
    int h = object.image().height();
    int[] box = bounds(object.mask());
    if (box == null) {
      return java.util.Optional.empty();
    }
    LabelledImage bg = null;
    for (LabelledImage candidate : backgrounds) {
      bg = objectFreeCrop(candidate, rnd, w, h);
      if (bg != null) {
        break;
      }
    }
    if (bg == null) {
      return java.util.Optional.empty();
    }
    int bw = box[2] - box[0];
    int bh = box[3] - box[1];
    double scale = Math.min(0.5 + 0.6 * rnd.nextDouble(), Math.min(w / (double) bw, h / (double) bh));
    int tw = Math.max(1, (int) Math.round(bw * scale));
    int th = Math.max(1, (int) Math.round(bh * scale));
    int ox = rnd.nextInt(w - tw + 1);
    int oy = rnd.nextInt(h - th + 1);
    float[] px = bg.image().rgb().clone();
    float[] src = object.image().rgb();
    boolean[] bits = new boolean[w * h];
    for (int y = 0; y < th; y++) {
      int sy = box[1] + Math.min(bh - 1, (int) ((y + 0.5) * bh / th));
      for (int x = 0; x < tw; x++) {
        int sx = box[0] + Math.min(bw - 1, (int) ((x + 0.5) * bw / tw));
        if (object.mask().get(sx, sy)) {
          int d = (oy + y) * w + ox + x;
          System.arraycopy(src, (sy * w + sx) * 3, px, d * 3, 3);
          bits[d] = true;
        }
      }
    }
    return java.util.Optional.of(new LabelledImage(object.name(), new RgbImage(w, h, px), new Mask(w, h, bits)));
  }

  /** A crop of {@code li} nearly free of its object, stretched to w x h; null if none is found. */
  private static LabelledImage objectFreeCrop(LabelledImage li, Random rnd, int w, int h) {
    requireSameSize(li);
    int iw = li.image().width();
    int ih = li.image().height();
    for (int t = 0; t < BACKGROUND_TRIES; t++) {
      double span = 1 - MIN_BACKGROUND_SIDE;
      int cw = Math.max(2, (int) Math.round(iw * (MIN_BACKGROUND_SIDE + span * rnd.nextDouble())));
      int ch = Math.max(2, (int) Math.round(ih * (MIN_BACKGROUND_SIDE + span * rnd.nextDouble())));
      int x0 = rnd.nextInt(iw - cw + 1);
      int y0 = rnd.nextInt(ih - ch + 1);
      if (countIn(li.mask(), x0, y0, cw, ch) <= MAX_BACKGROUND_SALIENCY * cw * ch) {
        return region(li, x0, y0, cw, ch, w, h);
      }
    }
    return null;
  }

  /** The region stretched to w x h: bilinear pixels, nearest-neighbour mask. */
  private static LabelledImage region(LabelledImage li, int x0, int y0, int cw, int ch, int w, int h) {
    RgbImage img = li.image();
    float[] part = new float[cw * ch * 3];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(img.rgb(), ((y0 + y) * img.width() + x0) * 3, part, y * cw * 3, cw * 3);
    }
    RgbImage scaled = Resizer.resizeTo(new RgbImage(cw, ch, part), w, h);
    boolean[] bits = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      int sy = y0 + Math.min(ch - 1, (int) ((y + 0.5) * ch / h));
      for (int x = 0; x < w; x++) {
        bits[y * w + x] = li.mask().get(x0 + Math.min(cw - 1, (int) ((x + 0.5) * cw / w)), sy);
      }
    }
    return new LabelledImage(li.name(), scaled, new Mask(w, h, bits));
  }

  /** {x0, y0, x1, y1} (exclusive ends) of the set pixels, null for an empty mask. */
  static int[] bounds(Mask m) {
    int x0 = Integer.MAX_VALUE;
    int y0 = Integer.MAX_VALUE;
    int x1 = -1;
    int y1 = -1;
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        if (m.get(x, y)) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
    }
    return x1 < 0 ? null : new int[] {x0, y0, x1 + 1, y1 + 1};
  }

  private static int countIn(Mask m, int x0, int y0, int cw, int ch) {
    int n = 0;
    for (int y = y0; y < y0 + ch; y++) {
      for (int x = x0; x < x0 + cw; x++) {
        if (m.get(x, y)) {
          n++;
        }
      }
    }
    return n;
  }

  private static void requireSameSize(LabelledImage li) {
    Objects.requireNonNull(li, "image");
    if (li.image().width() != li.mask().width() || li.image().height() != li.mask().height()) {
      throw new IllegalArgumentException(li.name() + ": image " + li.image().width() + "x" + li.image().height()
          + " and mask " + li.mask().width() + "x" + li.mask().height() + " differ in size");
    }
  }
}
