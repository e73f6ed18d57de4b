package saliency.model.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;

/**
 * Builds one synthetic scene: places the salient objects and the distractors and has the {@link SceneCanvas} paint
 * them; owns its canvas and random source for the duration of one call, on behalf of {@link SyntheticScenes}.
 */
final class SceneBuilder {
  private final SyntheticScenes.Settings s;
  private final SplittableRandom rnd;
  private final int w;
  private final int h;
  private final SceneCanvas canvas;

  SceneBuilder(SyntheticScenes.Settings s, SplittableRandom rnd) {
    this.s = Objects.requireNonNull(s, "s");
    this.rnd = Objects.requireNonNull(rnd, "rnd");
    this.w = s.width();
    this.h = s.height();
    this.canvas = new SceneCanvas(w, h, rnd);
  }

  SyntheticScenes.Scene build(String name) {
    float[] bgMean = canvas.paintBackground();
    float[] background = canvas.pixels().clone();
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
        float[] local = canvas.meanUnder(m);
        float[] c = canvas.nearColour(local);
        canvas.fill(m, c, 0.03f);
      }
    }
    for (boolean[] m : salient) {
      if (s.camouflage()) {
        canvas.camouflage(m, background);
        continue;
      }
      float[] local = canvas.meanUnder(m);
      float[] c = canvas.salientColour(local, bgMean);
      canvas.fill(m, c, 0.04f);
    }
    Mask union = new Mask(w, h);
    List<Mask> instances = new ArrayList<>();
    for (boolean[] m : salient) {
      Mask mm = new Mask(w, h, m);
      instances.add(mm);
      union.orInPlace(mm);
    }
    RgbImage image = new RgbImage(w, h, canvas.clampedPixels());
    return new SyntheticScenes.Scene(new LabelledImage(name, image, union, instances), distractorMasks);
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
      out.add(new SceneShape(SceneShape.Kind.ELLIPSE, cx, h / 2.0, rx, ry / rx, 0, new double[0]).rasterize(w, h));
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
    return placeWithArea(() -> randomUnit(rnd, s.rotate(), null), share, avoid, margin);
  }

  /**
   * A shape drawn from {@code units} (a new draw per attempt) scaled to cover about {@code share} of the image,
   * placed at random inside the image with {@code margin} free pixels and not overlapping {@code avoid}; null when no
   * placement was found.
   */
  private boolean[] placeWithArea(java.util.function.Supplier<SceneShape> units, double share, boolean[] avoid,
      int margin) {
    double target = share * w * h;
    for (int attempt = 0; attempt < 12; attempt++) {
      SceneShape unit = units.get();
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
      boolean[] m = unit.scaled(r).at(cx, cy).rasterize(w, h);
      int n = count(m);
      if (n < 4 || overlaps(m, avoid) || (margin > 0 && touchesBorder(m, margin))) {
        continue;
      }
      return m;
    }
    return null;
  }

  /**
   * A unit-radius shape at the origin of a random kind other than {@code exclude} (any kind when null), with random
   * aspect, parameters and (when {@code rotate}) rotation.
   */
  static SceneShape randomUnit(SplittableRandom rnd, boolean rotate, SceneShape.Kind exclude) {
    SceneShape.Kind[] kinds = java.util.Arrays.stream(SceneShape.Kind.values()).filter(k -> k != exclude)
        .toArray(SceneShape.Kind[]::new);
    SceneShape.Kind kind = kinds[rnd.nextInt(kinds.length)];
    double aspect = 0.5 + 0.5 * rnd.nextDouble();
    double rot = rotate ? rnd.nextDouble() * 2 * Math.PI : 0;
    return new SceneShape(kind, 0, 0, 1, aspect, rot, SceneShape.randomParams(kind, rnd));
  }

  /**
   * One image of a CoSOD group on a new background: the group's shared object ({@code shared}'s kind, aspect and
   * parameters at a random place, size and rotation, painted {@code sharedColour}) and {@code distractors} equally
   * salient objects of other kinds and of colours at RGB distance at least {@link #GROUP_COLOUR_GAP} from it; the
   * ground truth is the shared object alone, and the scene's distractor masks are the other objects.
   */
  SyntheticScenes.Scene buildGroupMember(String name, SceneShape shared, float[] sharedColour, int distractors) {
    float[] bgMean = canvas.paintBackground();
    double lo = s.minSalientArea() * 1.15;
    double hi = s.maxSalientArea() * 0.35; // leaves room for the distractors
    boolean[] object = null;
    for (int attempt = 0; attempt < 6 && object == null; attempt++) {
      double share = (lo + (hi - lo) * rnd.nextDouble()) * Math.pow(0.7, attempt);
      object = placeWithArea(() -> new SceneShape(shared.kind(), 0, 0, 1, shared.aspect(),
          s.rotate() ? rnd.nextDouble() * 2 * Math.PI : 0, shared.p()), share, new boolean[w * h], 1);
    }
    if (object == null) { // fallback that always fits: the shape centred, unrotated, a sixth of the side in radius
      object = new SceneShape(shared.kind(), w / 2.0, h / 2.0, Math.min(w, h) / 6.0, shared.aspect(), 0, shared.p())
          .rasterize(w, h);
    }
    boolean[] taken = dilate(object);
    List<Mask> others = new ArrayList<>();
    for (int i = 0; i < distractors; i++) {
      double share = lo + (hi - lo) * rnd.nextDouble();
      boolean[] m = null;
      for (int attempt = 0; attempt < 4 && m == null; attempt++) {
        m = placeWithArea(() -> randomUnit(rnd, s.rotate(), shared.kind()), share * Math.pow(0.7, attempt), taken, 1);
      }
      if (m == null) {
        continue;
      }
      float[] local = canvas.meanUnder(m);
      float[] c = canvas.salientColour(local, bgMean);
      for (int attempt = 0; attempt < 40 && SceneCanvas.dist(c, sharedColour) < GROUP_COLOUR_GAP; attempt++) {
        c = canvas.salientColour(local, bgMean);
      }
      canvas.fill(m, c, 0.04f);
      others.add(new Mask(w, h, m));
      orInto(taken, dilate(m));
    }
    canvas.fill(object, sharedColour, 0.04f);
    Mask mask = new Mask(w, h, object);
    RgbImage image = new RgbImage(w, h, canvas.clampedPixels());
    return new SyntheticScenes.Scene(new LabelledImage(name, image, mask, List.of(mask)), others);
  }

  /** Smallest RGB distance between a CoSOD group's shared colour and a distractor's. */
  static final double GROUP_COLOUR_GAP = 0.35;

  // ---- mask helpers ------------------------------------------------------------------------------------

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
