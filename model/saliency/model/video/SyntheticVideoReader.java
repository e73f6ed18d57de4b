package saliency.model.video;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import saliency.model.data.LabelledImage;
import saliency.model.data.SyntheticScenes;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;

/**
 * A moving synthetic scene as a video source: the salient object of one {@link SyntheticScenes} scene drifts across
 * the scene's background (bouncing off the borders), grows and shrinks, and turns its hue, one small step per frame;
 * frame {@code i} and its ground-truth mask are a pure function of {@code (seed, i)}, so the reader is also its own
 * {@link FrameLabels}.
 */
public final class SyntheticVideoReader implements FrameReader, FrameLabels {
  /** Frames of {@code --in synthetic} without a count. */
  public static final int DEFAULT_FRAMES = 120;
  /** Frame width. */
  public static final int WIDTH = 160;
  /** Frame height. */
  public static final int HEIGHT = 120;
  /** Frame rate. */
  public static final double FPS = 24;
  /** Frames per full scale cycle (0.75x..1.25x). */
  static final double SCALE_PERIOD = 96;
  /** Frames per full turn of the object's hue. */
  static final double HUE_PERIOD = 240;

  private final int frames;
  private final long seed;
  private final float[] background;
  private final float[] sprite;
  private final boolean[] spriteMask;
  private final double cx0;
  private final double cy0;
  private final double halfW;
  private final double halfH;
  private int position;

  private SyntheticVideoReader(int frames, long seed) {
    this.frames = frames;
    this.seed = seed;
    SyntheticScenes scenes = new SyntheticScenes(
        new SyntheticScenes.Settings(WIDTH, HEIGHT, 0, 2, 1, 1, 0.04, 0.15, true, seed));
    LabelledImage scene = scenes.get(0);
    this.sprite = scene.image().rgb();
    this.spriteMask = scene.mask().bits();
    this.background = fillUnder(sprite, spriteMask);
    double sx = 0;
    double sy = 0;
    int n = 0;
    int x0 = WIDTH;
    int x1 = 0;
    int y0 = HEIGHT;
    int y1 = 0;
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        if (spriteMask[y * WIDTH + x]) {
          sx += x + 0.5;
          sy += y + 0.5;
          n++;
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x + 1);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y + 1);
        }
      }
    }
    this.cx0 = sx / Math.max(1, n);
    this.cy0 = sy / Math.max(1, n);
    this.halfW = Math.max(cx0 - x0, x1 - cx0);
    this.halfH = Math.max(cy0 - y0, y1 - cy0);
  }

  /** {@code frames} frames of the moving scene from {@code seed}. */
  public static SyntheticVideoReader of(int frames, long seed) {
    if (frames < 1) {
      throw new IllegalArgumentException("frames must be >= 1, got " + frames);
    }
    return new SyntheticVideoReader(frames, seed);
  }

  /** Whether {@code in} names this source: {@code synthetic} or {@code synthetic:N}. */
  public static boolean isSpec(String in) {
    return in.equals("synthetic") || in.startsWith("synthetic:");
  }

  /**
   * Opens {@code synthetic} ({@value #DEFAULT_FRAMES} frames) or {@code synthetic:N} (N frames) with seed 1.
   *
   * @throws IllegalArgumentException naming the source when N is not a positive integer
   */
  public static SyntheticVideoReader open(String spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.equals("synthetic")) {
      return of(DEFAULT_FRAMES, 1);
    }
    String n = spec.startsWith("synthetic:") ? spec.substring("synthetic:".length()) : "";
    try {
      return of(Integer.parseInt(n), 1);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(spec + ": expected synthetic or synthetic:N with N a positive frame count");
    }
  }

  /** Frames the source has. */
  public int size() {
    return frames;
  }

  /** Frame {@code i} (any {@code i >= 0}, also past the end) with its ground-truth mask. */
  public LabelledImage frame(long i) {
    if (i < 0) {
      throw new IllegalArgumentException("frame index must be >= 0, got " + i);
    }
    double scale = 1 + 0.25 * Math.sin(2 * Math.PI * i / SCALE_PERIOD);
    double maxScale = 1.25;
    double cx = bounce(cx0, WIDTH / 190.0 * i, halfW * maxScale + 1, WIDTH - halfW * maxScale - 1);
    double cy = bounce(cy0, HEIGHT / 260.0 * i, halfH * maxScale + 1, HEIGHT - halfH * maxScale - 1);
    float[] hue = hueRotation(2 * Math.PI * i / HUE_PERIOD);
    float[] rgb = background.clone();
    boolean[] gt = new boolean[WIDTH * HEIGHT];
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int sx = (int) Math.floor(cx0 + (x + 0.5 - cx) / scale);
        int sy = (int) Math.floor(cy0 + (y + 0.5 - cy) / scale);
        if (sx < 0 || sy < 0 || sx >= WIDTH || sy >= HEIGHT || !spriteMask[sy * WIDTH + sx]) {
          continue;
        }
        int o = (y * WIDTH + x) * 3;
        int so = (sy * WIDTH + sx) * 3;
        for (int c = 0; c < 3; c++) {
          float v = hue[3 * c] * sprite[so] + hue[3 * c + 1] * sprite[so + 1] + hue[3 * c + 2] * sprite[so + 2];
          rgb[o + c] = Math.max(0f, Math.min(1f, v));
        }
        gt[y * WIDTH + x] = true;
      }
    }
    Mask mask = new Mask(WIDTH, HEIGHT, gt);
    return new LabelledImage("synthetic-" + seed + "-frame-" + i, new RgbImage(WIDTH, HEIGHT, rgb), mask,
        List.of(mask.copy()));
  }

  /** {@code start + travel} reflected into {@code [lo, hi]} (the centre when the range is empty). */
  static double bounce(double start, double travel, double lo, double hi) {
    if (hi <= lo) {
      return (lo + hi) / 2;
    }
    double span = hi - lo;
    double p = ((Math.max(lo, Math.min(hi, start)) - lo + travel) % (2 * span) + 2 * span) % (2 * span);
    return lo + (p <= span ? p : 2 * span - p);
  }

  /** The 3x3 matrix (row-major) turning RGB colours about the grey axis by {@code angle}. */
  static float[] hueRotation(double angle) {
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double a = (1 - c) / 3;
    double b = Math.sqrt(1 / 3.0) * s;
    return new float[] {
        (float) (c + a), (float) (a - b), (float) (a + b),
        (float) (a + b), (float) (c + a), (float) (a - b),
        (float) (a - b), (float) (a + b), (float) (c + a)};
  }

  /** The image with the masked pixels replaced by their mirror image across the nearer unmasked pixel in the row. */
  private static float[] fillUnder(float[] rgb, boolean[] mask) {
    float[] out = rgb.clone();
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        if (!mask[y * WIDTH + x]) {
          continue;
        }
        int left = x;
        while (left >= 0 && mask[y * WIDTH + left]) {
          left--;
        }
        int right = x;
        while (right < WIDTH && mask[y * WIDTH + right]) {
          right++;
        }
        int edge = left < 0 ? right : right >= WIDTH ? left : x - left <= right - x ? left : right;
        if (edge < 0 || edge >= WIDTH) {
          continue;
        }
        int mirror = Math.max(0, Math.min(WIDTH - 1, 2 * edge - x));
        int from = mask[y * WIDTH + mirror] ? edge : mirror;
        System.arraycopy(rgb, (y * WIDTH + from) * 3, out, (y * WIDTH + x) * 3, 3);
      }
    }
    return out;
  }

  @Override
  public Optional<VideoFrame> next() {
    if (position >= frames) {
      return Optional.empty();
    }
    int i = position++;
    return Optional.of(new VideoFrame(i, Math.round(i * 1000.0 / FPS), frame(i).image()));
  }

  @Override
  public Optional<Mask> label(VideoFrame frame) {
    return frame.index() < frames ? Optional.of(frame(frame.index()).mask()) : Optional.empty();
  }

  @Override
  public double frameRate() {
    return FPS;
  }

  @Override
  public List<String> skips() {
    return List.of();
  }

  @Override
  public String describe() {
    return "synthetic:" + frames;
  }

  @Override
  public void close() {
    position = frames;
  }
}
