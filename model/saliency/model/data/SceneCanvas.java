package saliency.model.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The RGB canvas of one synthetic scene and how it is painted: textured backgrounds, near and salient colours,
 * textured fills; owns its pixels, and draws from the random source of the {@link SceneBuilder} that owns it.
 */
final class SceneCanvas {

  private enum Background { NOISE, STRIPES, CHECKER, GRADIENT }

  private final SplittableRandom rnd;
  private final int w;
  private final int h;
  private final float[] rgb; // (H, W, 3) row-major

  SceneCanvas(int width, int height, SplittableRandom rnd) {
    this.rnd = Objects.requireNonNull(rnd, "rnd");
    this.w = width;
    this.h = height;
    this.rgb = new float[w * h * 3];
  }

  /** The pixels as painted so far (the canvas itself, not a copy). */
  float[] pixels() {
    return rgb;
  }

  /**
   * Paints a camouflaged object over {@code m}: the background itself read at a random offset (wrapping at the
   * borders), every pixel shifted by one colour offset of RGB length in
   * [{@link SyntheticScenes.Settings#CAMOUFLAGE_MIN_SHIFT}, {@link SyntheticScenes.Settings#CAMOUFLAGE_MAX_SHIFT}].
   */
  void camouflage(boolean[] m, float[] background) {
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
    double len = SyntheticScenes.Settings.CAMOUFLAGE_MIN_SHIFT
        + (SyntheticScenes.Settings.CAMOUFLAGE_MAX_SHIFT - SyntheticScenes.Settings.CAMOUFLAGE_MIN_SHIFT)
        * rnd.nextDouble();
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

  /** The pixels clamped to [0, 1] (the canvas itself, clamped in place). */
  float[] clampedPixels() {
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = Math.max(0f, Math.min(1f, rgb[i]));
    }
    return rgb;
  }

  /** Paints the background and returns its mean colour. */
  float[] paintBackground() {
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

  /** A colour close to {@code local}: distance at most about 0.12. */
  float[] nearColour(float[] local) {
    float[] c = new float[3];
    for (int k = 0; k < 3; k++) {
      c[k] = clamp01(local[k] + (float) ((rnd.nextDouble() - 0.5) * 0.12));
    }
    return c;
  }

  /** A saturated colour far (RGB distance >= 0.55) from both the local and the global background mean. */
  float[] salientColour(float[] local, float[] global) {
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

  /** Fills the pixels of {@code m} with {@code c} under a stripe or noise texture of amplitude {@code texAmp}. */
  void fill(boolean[] m, float[] c, float texAmp) {
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

  /** The mean colour of the pixels of {@code m}. */
  float[] meanUnder(boolean[] m) {
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

  // ---- colour maths ------------------------------------------------------------------------------------

  static float[] hsv(double hue, double sat, double val) {
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

  static double dist(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < 3; k++) {
      s += (a[k] - b[k]) * (a[k] - b[k]);
    }
    return Math.sqrt(s);
  }
}
