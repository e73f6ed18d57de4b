package saliency.model.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;

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

  private enum Background { NOISE, STRIPES, CHECKER, GRADIENT }

  private enum ShapeKind { ELLIPSE, STAR, BLOB, RECT }

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
    return new Builder(settings, rnd).build("synthetic-" + settings.seed() + "-" + index);
  }

  /** A generated scene and the masks of its low-contrast distractors as drawn (salient objects on top). */
  record Scene(LabelledImage labelled, List<Mask> distractors) {}

  /** SplitMix64 finalizer: a well-mixed 64-bit function of {@code z}. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Builds one scene; owns its canvas and random source for the duration of one call. */
  private static final class Builder {
    private final Settings s;
    private final SplittableRandom rnd;
    private final int w;
    private final int h;
    private final float[] rgb;

    Builder(Settings s, SplittableRandom rnd) {
      this.s = s;
      this.rnd = rnd;
      this.w = s.width();
      this.h = s.height();
      this.rgb = new float[w * h * 3];
    }

    Scene build(String name) {
      float[] bgMean = paintBackground();
      float[] background = rgb.clone();
      int salientCount = s.minSalient() + rnd.nextInt(s.maxSalient() - s.minSalient() + 1);
      List<boolean[]> salient = placeSalient(salientCount);
      boolean[] occupied = new boolean[w * h];
      for (boolean[] m : salient) {
        orInto(occupied, m);
      }
      int distractors = s.minDistractors() + rnd.nextInt(s.maxDistractors() - s.minDistractors() + 1);
      List<Mask> distractorMasks = new ArrayList<>();
      for (int i = 0; i < distractors; i++) {
        boolean[] m = placeDistractor(occupied);
        if (m != null) {
          distractorMasks.add(new Mask(w, h, m));
          float[] local = meanUnder(m);
          float[] c = nearColour(local);
          fill(m, c, 0.03f);
        }
      }
      for (boolean[] m : salient) {
        if (s.camouflage()) {
          camouflage(m, background);
          continue;
        }
        float[] local = meanUnder(m);
        float[] c = salientColour(local, bgMean);
        fill(m, c, 0.04f);
      }
      Mask union = new Mask(w, h);
      List<Mask> instances = new ArrayList<>();
      for (boolean[] m : salient) {
        Mask mm = new Mask(w, h, m);
        instances.add(mm);
        union.orInPlace(mm);
      }
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = Math.max(0f, Math.min(1f, rgb[i]));
      }
      return new Scene(new LabelledImage(name, new RgbImage(w, h, rgb), union, instances), distractorMasks);
    }

    // ---- background -------------------------------------------------------------------------------------

    /** Paints the background and returns its mean colour. */
    private float[] paintBackground() {
      double hue = rnd.nextDouble();
      double sat = 0.1 + 0.4 * rnd.nextDouble();
      double val = 0.3 + 0.5 * rnd.nextDouble();
      float[] a = hsv(hue, sat, val);
      // second colour of the same family: small hue/value shift, so the texture stays low-contrast
      float[] b = hsv(hue + (rnd.nextDouble() - 0.5) * 0.1, clamp01(sat + (rnd.nextDouble() - 0.5) * 0.2),
          clamp01(val + (rnd.nextBoolean() ? 1 : -1) * (0.06 + 0.08 * rnd.nextDouble())));
      Background kind = Background.values()[rnd.nextInt(Background.values().length)];
      double period = Math.max(3, Math.min(w, h) * (0.06 + 0.12 * rnd.nextDouble()));
      double angle = rnd.nextDouble() * Math.PI;
      double ca = Math.cos(angle);
      double sa = Math.sin(angle);
      float noiseAmp = kind == Background.NOISE ? 0.08f : 0.02f;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double t;
          switch (kind) {
            case STRIPES -> t = 0.5 + 0.5 * Math.sin(2 * Math.PI * (x * ca + y * sa) / period);
            case CHECKER -> t = ((int) Math.floor(x / period) + (int) Math.floor(y / period)) % 2;
            case GRADIENT -> t = ((x - w / 2.0) * ca + (y - h / 2.0) * sa) / Math.hypot(w, h) + 0.5;
            default -> t = 0.5;
          }
          int o = (y * w + x) * 3;
          for (int c = 0; c < 3; c++) {
            float n = (float) ((rnd.nextDouble() - 0.5) * 2 * noiseAmp);
            rgb[o + c] = (float) (a[c] * (1 - t) + b[c] * t) + n;
          }
        }
      }
      float[] mean = new float[3];
      for (int i = 0; i < rgb.length; i++) {
        mean[i % 3] += rgb[i];
      }
      for (int c = 0; c < 3; c++) {
        mean[c] /= w * h;
      }
      return mean;
    }

    // ---- objects -----------------------------------------------------------------------------------------

    private List<boolean[]> placeSalient(int count) {
      // total area biased towards small objects; several instances share less room, so they get at most 60%
      // of the upper bound (non-overlapping large shapes rarely fit)
      double lo = s.minSalientArea() * 1.15;
      double hi = s.maxSalientArea() * (count == 1 ? 0.9 : 0.6);
      double total = lo + Math.max(0, hi - lo) * Math.pow(rnd.nextDouble(), 1.5);
      for (int attempt = 0; attempt < 20; attempt++) {
        List<boolean[]> out = new ArrayList<>();
        boolean[] taken = new boolean[w * h];
        int area = 0;
        for (int i = 0; i < count; i++) {
          double share = total / count * (count == 1 ? 1 : 0.7 + 0.6 * rnd.nextDouble());
          boolean[] m = shapeWithArea(share, taken, 1);
          if (m == null) {
            break;
          }
          out.add(m);
          orInto(taken, dilate(m));
          area += count(m);
        }
        double frac = (double) area / (w * h);
        if (out.size() == count && frac >= s.minSalientArea() && frac <= s.maxSalientArea()) {
          return out;
        }
      }
      // fallback that always satisfies the bounds: centred ellipses side by side
      List<boolean[]> out = new ArrayList<>();
      double target = (s.minSalientArea() + s.maxSalientArea()) / 2 / count * w * h;
      for (int i = 0; i < count; i++) {
        double cx = w * (i + 0.5) / count;
        double rx = Math.min(w / (2.0 * count) - 1.5, Math.sqrt(target / Math.PI));
        double ry = Math.min(h / 2.0 - 1.5, target / (Math.PI * rx));
        out.add(rasterize(new Shape(ShapeKind.ELLIPSE, cx, h / 2.0, rx, ry / rx, 0, new double[0])));
      }
      return out;
    }

    private boolean[] placeDistractor(boolean[] occupied) {
      double share = 0.02 + 0.10 * rnd.nextDouble();
      return shapeWithArea(share, occupied, 0);
    }

    /**
     * A random shape covering about {@code share} of the image, inside the image with {@code margin} free
     * pixels, and not overlapping {@code avoid}; null when no placement was found.
     */
    private boolean[] shapeWithArea(double share, boolean[] avoid, int margin) {
      double target = share * w * h;
      for (int attempt = 0; attempt < 12; attempt++) {
        ShapeKind kind = ShapeKind.values()[rnd.nextInt(ShapeKind.values().length)];
        double aspect = 0.5 + 0.5 * rnd.nextDouble();
        double rot = s.rotate() ? rnd.nextDouble() * 2 * Math.PI : 0;
        double[] params = shapeParams(kind);
        Shape unit = new Shape(kind, 0, 0, 1, aspect, rot, params);
        double unitArea = unit.area();
        double r = Math.sqrt(target / unitArea);
        double[] ext = unit.scaled(r).halfExtents();
        double minCx = ext[0] + margin;
        double maxCx = w - ext[0] - margin;
        double minCy = ext[1] + margin;
        double maxCy = h - ext[1] - margin;
        if (minCx > maxCx || minCy > maxCy) {
          continue;
        }
        double cx = minCx + (maxCx - minCx) * rnd.nextDouble();
        double cy = minCy + (maxCy - minCy) * rnd.nextDouble();
        boolean[] m = rasterize(unit.scaled(r).at(cx, cy));
        int n = count(m);
        if (n < 4 || overlaps(m, avoid) || (margin > 0 && touchesBorder(m, margin))) {
          continue;
        }
        return m;
      }
      return null;
    }

    private double[] shapeParams(ShapeKind kind) {
      return switch (kind) {
        case STAR -> new double[] {5 + rnd.nextInt(4), 0.45 + 0.2 * rnd.nextDouble()};
        case BLOB -> {
          double[] p = new double[6]; // three low-frequency harmonics: amplitude, phase
          for (int k = 0; k < 3; k++) {
            p[2 * k] = (0.08 + 0.12 * rnd.nextDouble()) / (k + 1);
            p[2 * k + 1] = rnd.nextDouble() * 2 * Math.PI;
          }
          yield p;
        }
        default -> new double[0];
      };
    }

    // ---- colours -----------------------------------------------------------------------------------------

    /** A colour close to {@code local}: distance at most about 0.12. */
    private float[] nearColour(float[] local) {
      float[] c = new float[3];
      for (int k = 0; k < 3; k++) {
        c[k] = clamp01(local[k] + (float) ((rnd.nextDouble() - 0.5) * 0.12));
      }
      return c;
    }

    /** A saturated colour far (RGB distance >= 0.55) from both the local and the global background mean. */
    private float[] salientColour(float[] local, float[] global) {
      float[] best = null;
      double bestDist = -1;
      for (int attempt = 0; attempt < 40; attempt++) {
        double hue = rnd.nextDouble();
        float[] c = hsv(hue, 0.65 + 0.35 * rnd.nextDouble(), 0.55 + 0.45 * rnd.nextDouble());
        if (rnd.nextInt(5) == 0) { // sometimes a very dark or very light object instead
          float v = brightness(local) > 0.5f ? 0.05f : 0.95f;
          c = hsv(hue, 0.6 * rnd.nextDouble(), v);
        }
        double d = Math.min(dist(c, local), dist(c, global));
        if (d > bestDist) {
          bestDist = d;
          best = c;
        }
        if (d >= 0.55) {
          return c;
        }
      }
      return best;
    }

    /**
     * Paints a camouflaged object over {@code m}: the background itself read at a random offset (wrapping at the
     * borders), every pixel shifted by one colour offset of RGB length in
     * [{@link Settings#CAMOUFLAGE_MIN_SHIFT}, {@link Settings#CAMOUFLAGE_MAX_SHIFT}].
     */
    private void camouflage(boolean[] m, float[] background) {
      int dx = w / 4 + rnd.nextInt(Math.max(1, w / 2));
      int dy = h / 4 + rnd.nextInt(Math.max(1, h / 2));
      double[] dir = new double[3];
      double norm = 0;
      while (norm < 1e-6) {
        norm = 0;
        for (int k = 0; k < 3; k++) {
          dir[k] = rnd.nextDouble() * 2 - 1;
          norm += dir[k] * dir[k];
        }
        norm = Math.sqrt(norm);
      }
      double len = Settings.CAMOUFLAGE_MIN_SHIFT
          + (Settings.CAMOUFLAGE_MAX_SHIFT - Settings.CAMOUFLAGE_MIN_SHIFT) * rnd.nextDouble();
      float[] shift = new float[3];
      for (int k = 0; k < 3; k++) {
        shift[k] = (float) (dir[k] / norm * len);
      }
      float[] mean = meanUnder(m);
      for (int k = 0; k < 3; k++) { // keep the shifted colour inside [0, 1]: flip the offset where it would clip
        if (mean[k] + shift[k] > 1 || mean[k] + shift[k] < 0) {
          shift[k] = -shift[k];
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = y * w + x;
          if (!m[i]) {
            continue;
          }
          int j = ((y + dy) % h) * w + (x + dx) % w;
          for (int k = 0; k < 3; k++) {
            rgb[i * 3 + k] = background[j * 3 + k] + shift[k];
          }
        }
      }
    }

    // ---- raster helpers ----------------------------------------------------------------------------------

    private void fill(boolean[] m, float[] c, float texAmp) {
      boolean stripes = rnd.nextBoolean();
      double period = 3 + 5 * rnd.nextDouble();
      double angle = rnd.nextDouble() * Math.PI;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = y * w + x;
          if (!m[i]) {
            continue;
          }
          double t = stripes ? Math.sin(2 * Math.PI * (x * Math.cos(angle) + y * Math.sin(angle)) / period)
              : rnd.nextDouble() * 2 - 1;
          for (int k = 0; k < 3; k++) {
            rgb[i * 3 + k] = c[k] + (float) (texAmp * t);
          }
        }
      }
    }

    private float[] meanUnder(boolean[] m) {
      float[] mean = new float[3];
      int n = 0;
      for (int i = 0; i < m.length; i++) {
        if (m[i]) {
          for (int k = 0; k < 3; k++) {
            mean[k] += rgb[i * 3 + k];
          }
          n++;
        }
      }
      for (int k = 0; k < 3; k++) {
        mean[k] /= Math.max(1, n);
      }
      return mean;
    }

    private boolean[] rasterize(Shape shape) {
      boolean[] m = new boolean[w * h];
      double[] ext = shape.halfExtents();
      int x0 = Math.max(0, (int) Math.floor(shape.cx() - ext[0] - 1));
      int x1 = Math.min(w - 1, (int) Math.ceil(shape.cx() + ext[0] + 1));
      int y0 = Math.max(0, (int) Math.floor(shape.cy() - ext[1] - 1));
      int y1 = Math.min(h - 1, (int) Math.ceil(shape.cy() + ext[1] + 1));
      double c = Math.cos(shape.rot());
      double sn = Math.sin(shape.rot());
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          m[y * w + x] = shape.contains(x + 0.5, y + 0.5, c, sn);
        }
      }
      return m;
    }

    private boolean touchesBorder(boolean[] m, int margin) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (m[y * w + x] && (x < margin || y < margin || x >= w - margin || y >= h - margin)) {
            return true;
          }
        }
      }
      return false;
    }

    private boolean[] dilate(boolean[] m) {
      boolean[] out = m.clone();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (m[y * w + x]) {
            for (int dy = -1; dy <= 1; dy++) {
              for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                  out[yy * w + xx] = true;
                }
              }
            }
          }
        }
      }
      return out;
    }
  }

  /** A shape in pixel coordinates: centre, radius, aspect (y radius / x radius), rotation, kind parameters. */
  private record Shape(ShapeKind kind, double cx, double cy, double r, double aspect, double rot, double[] p) {
    Shape scaled(double f) {
      return new Shape(kind, cx, cy, r * f, aspect, rot, p);
    }

    Shape at(double x, double y) {
      return new Shape(kind, x, y, r, aspect, rot, p);
    }

    /** Radius of the outline in the shape's own frame at angle {@code t} (before aspect squash). */
    double radius(double t) {
      return switch (kind) {
        case BLOB -> {
          double v = 1;
          for (int k = 0; k < 3; k++) {
            v += p[2 * k] * Math.cos((k + 2) * t + p[2 * k + 1]);
          }
          yield v;
        }
        case STAR -> {
          int n = (int) p[0];
          double inner = p[1];
          double sector = 2 * Math.PI / n;
          double u = ((t % sector) + sector) % sector / sector; // 0..1 within one spike
          double tri = 1 - Math.abs(2 * u - 1); // 0 at spike tips' between, 1 mid
          // straight edges between tip (radius 1) and notch (radius inner), via polar line interpolation
          double a0 = 0;
          double a1 = sector / 2;
          double ang = tri * a1;
          double x0 = Math.cos(a0);
          double y0 = Math.sin(a0);
          double x1 = inner * Math.cos(a1);
          double y1 = inner * Math.sin(a1);
          // intersect ray at angle ang with segment (x0,y0)-(x1,y1)
          double dx = x1 - x0;
          double dy = y1 - y0;
          double denom = Math.cos(ang) * dy - Math.sin(ang) * dx;
          yield (x0 * dy - y0 * dx) / denom;
        }
        default -> 1;
      };
    }

    /** Whether pixel-space point (x, y) is inside; {@code c, s} are cos and sin of the rotation. */
    boolean contains(double x, double y, double c, double s) {
      double dx = x - cx;
      double dy = y - cy;
      double u = (dx * c + dy * s) / r;
      double v = (-dx * s + dy * c) / (r * aspect);
      if (kind == ShapeKind.RECT) {
        return Math.abs(u) <= 1 && Math.abs(v) <= 1;
      }
      double rho = Math.hypot(u, v);
      if (kind == ShapeKind.ELLIPSE) {
        return rho <= 1;
      }
      return rho <= radius(Math.atan2(v, u));
    }

    /** Area by numeric integration of the polar outline (exact for ellipse and rectangle). */
    double area() {
      if (kind == ShapeKind.RECT) {
        return 4 * r * r * aspect;
      }
      if (kind == ShapeKind.ELLIPSE) {
        return Math.PI * r * r * aspect;
      }
      int n = 720;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double rr = radius(2 * Math.PI * i / n);
        sum += rr * rr;
      }
      return 0.5 * sum * (2 * Math.PI / n) * r * r * aspect;
    }

    /** Half the axis-aligned bounding box size {x, y} in pixels (exact for ellipse and rectangle, else a bound). */
    double[] halfExtents() {
      double c = Math.abs(Math.cos(rot));
      double s = Math.abs(Math.sin(rot));
      double ax = r;
      double ay = r * aspect;
      return switch (kind) {
        case ELLIPSE -> new double[] {Math.hypot(ax * c, ay * s), Math.hypot(ax * s, ay * c)};
        case RECT -> new double[] {ax * c + ay * s, ax * s + ay * c};
        // star radius is at most 1, blob radius at most 1 + 0.2 + 0.1 + 0.067 < 1.4 (see shapeParams)
        default -> new double[] {r * 1.4, r * 1.4};
      };
    }
  }

  // ---- small maths -------------------------------------------------------------------------------------

  private static float[] hsv(double hue, double sat, double val) {
    double hh = ((hue % 1) + 1) % 1 * 6;
    int i = (int) Math.floor(hh) % 6;
    double f = hh - Math.floor(hh);
    double p = val * (1 - sat);
    double q = val * (1 - sat * f);
    double t = val * (1 - sat * (1 - f));
    double[] c = switch (i) {
      case 0 -> new double[] {val, t, p};
      case 1 -> new double[] {q, val, p};
      case 2 -> new double[] {p, val, t};
      case 3 -> new double[] {p, q, val};
      case 4 -> new double[] {t, p, val};
      default -> new double[] {val, p, q};
    };
    return new float[] {(float) c[0], (float) c[1], (float) c[2]};
  }

  private static float clamp01(double v) {
    return (float) Math.max(0, Math.min(1, v));
  }

  private static float brightness(float[] c) {
    return 0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2];
  }

  private static double dist(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < 3; k++) {
      s += (a[k] - b[k]) * (a[k] - b[k]);
    }
    return Math.sqrt(s);
  }

  private static int count(boolean[] m) {
    int n = 0;
    for (boolean b : m) {
      if (b) {
        n++;
      }
    }
    return n;
  }

  private static boolean overlaps(boolean[] a, boolean[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] && b[i]) {
        return true;
      }
    }
    return false;
  }

  private static void orInto(boolean[] into, boolean[] m) {
    for (int i = 0; i < into.length; i++) {
      into[i] |= m[i];
    }
  }
}
