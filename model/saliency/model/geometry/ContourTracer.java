package saliency.model.geometry;

import java.util.Arrays;

/**
 * 8-connected component labelling (from horizontal runs) and outer-contour tracing on pixel corners; stateless.
 *
 * <p>The contour follows pixel edges (crack following) with the component on its right, so it runs
 * clockwise in image coordinates, and keeps only the corners where it turns. Its vertices are integer
 * pixel corners, so a contour filled at pixel centres reproduces the component with its holes filled.
 * Where two pixels of the component touch only diagonally (a pinch), the contour passes the shared corner
 * twice; each pass is cut by {@link #PINCH_CUT} pixels on either side of the corner, which leaves a thin
 * bridge and keeps the contour simple without moving any pixel centre across it.
 */
final class ContourTracer {
  /** How far (in pixels) a pinch corner is cut back along its two edges. */
  static final double PINCH_CUT = 1e-3;

  private static final int[] DX = {1, 0, -1, 0}; // E, S, W, N: clockwise on screen
  private static final int[] DY = {0, 1, 0, -1};

  private ContourTracer() {}

  /** Components labelled 1..count: pixel count per label and each label's first pixel in raster order (index 0 unused). */
  record Components(int count, int[] area, int[] firstPixel) {}

  /**
   * 8-connected components from horizontal runs: runs of consecutive rows are joined (union-find) when
   * they overlap or touch diagonally; no per-pixel label array.
   */
  static Components label(Mask mask) {
    int w = mask.width();
    int h = mask.height();
    boolean[] bits = mask.bits();
    int cap = 64;
    int[] runStart = new int[cap]; // pixel index of the run's first pixel
    int[] runLen = new int[cap];
    int[] parent = new int[cap];
    int runs = 0;
    int prevFrom = 0; // runs of the previous row: [prevFrom, prevTo)
    int prevTo = 0;
    for (int y = 0; y < h; y++) {
      int rowBase = y * w;
      int rowFrom = runs;
      int p = prevFrom;
      int x = 0;
      while (x < w) {
        if (!bits[rowBase + x]) {
          x++;
          continue;
        }
        int x0 = x;
        while (x < w && bits[rowBase + x]) {
          x++;
        }
        if (runs == cap) {
          cap *= 2;
          runStart = Arrays.copyOf(runStart, cap);
          runLen = Arrays.copyOf(runLen, cap);
          parent = Arrays.copyOf(parent, cap);
        }
        int r = runs++;
        runStart[r] = rowBase + x0;
        runLen[r] = x - x0;
        parent[r] = r;
        // previous-row runs [px0, px1) touching columns [x0 - 1, x] (8-connectivity)
        int prevBase = rowBase - w;
        while (p < prevTo && runStart[p] - prevBase + runLen[p] < x0) {
          p++; // ends left of x0 - 1
        }
        for (int q = p; q < prevTo && runStart[q] - prevBase <= x; q++) {
          union(parent, r, q);
        }
      }
      prevFrom = rowFrom;
      prevTo = runs;
    }
    int[] labelOf = new int[runs];
    int[] area = new int[runs + 1];
    int[] first = new int[runs + 1];
    int count = 0;
    for (int r = 0; r < runs; r++) {
      int root = find(parent, r);
      if (root == r) {
        labelOf[r] = ++count; // a root is its set's first run in raster order
        first[count] = runStart[r];
      }
      int label = labelOf[root];
      area[label] += runLen[r];
    }
    return new Components(count, area, first);
  }

  private static int find(int[] parent, int r) {
    int root = r;
    while (parent[root] != root) {
      root = parent[root];
    }
    while (parent[r] != root) {
      int next = parent[r];
      parent[r] = root;
      r = next;
    }
    return root;
  }

  /** Joins the sets of a and b; the smaller run index (earlier in raster order) becomes the root. */
  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra < rb) {
      parent[rb] = ra;
    } else if (rb < ra) {
      parent[ra] = rb;
    }
  }

  /**
   * The outer contour, in pixel-corner coordinates, of the 8-connected component whose first pixel in
   * raster order is {@code firstPixel}: {@code {xs, ys}}, clockwise in image coordinates, turning corners only.
   */
  static double[][] outerContour(Mask mask, int firstPixel) {
    int w = mask.width();
    int x0 = firstPixel % w;
    int y0 = firstPixel / w;
    if (!mask.get(x0, y0) || on(mask, x0 - 1, y0) || on(mask, x0, y0 - 1)) {
      throw new IllegalArgumentException("pixel " + x0 + "," + y0 + " is not the first pixel of a component");
    }
    double[] xs = new double[64];
    double[] ys = new double[64];
    int n = 0;
    int cx = x0;
    int cy = y0;
    int d = 0; // heading east along the top edge of the first pixel
    do {
      cx += DX[d];
      cy += DY[d];
      boolean aheadLeft = on(mask, aheadLeftX(cx, d), aheadLeftY(cy, d));
      boolean aheadRight = on(mask, aheadRightX(cx, d), aheadRightY(cy, d));
      int next;
      if (aheadLeft) {
        next = (d + 3) & 3; // turn left: keeps diagonal neighbours together (8-connectivity)
      } else if (aheadRight) {
        next = d;
      } else {
        next = (d + 1) & 3;
      }
      if (next != d) {
        if (n + 2 > xs.length) {
          xs = Arrays.copyOf(xs, xs.length * 2);
          ys = Arrays.copyOf(ys, ys.length * 2);
        }
        if (aheadLeft && !aheadRight) { // pinch corner: cut it on both sides
          xs[n] = cx - PINCH_CUT * DX[d];
          ys[n++] = cy - PINCH_CUT * DY[d];
          xs[n] = cx + PINCH_CUT * DX[next];
          ys[n++] = cy + PINCH_CUT * DY[next];
        } else {
          xs[n] = cx;
          ys[n++] = cy;
        }
      }
      d = next;
    } while (cx != x0 || cy != y0 || d != 0);
    return new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)};
  }

  // Around corner (cx, cy) the pixels are NW (cx-1, cy-1), NE (cx, cy-1), SW (cx-1, cy), SE (cx, cy).
  // Ahead-left / ahead-right for headings E, S, W, N: NE/SE, SE/SW, SW/NW, NW/NE.
  private static int aheadLeftX(int cx, int d) {
    return d == 0 || d == 1 ? cx : cx - 1;
  }

  private static int aheadLeftY(int cy, int d) {
    return d == 0 || d == 3 ? cy - 1 : cy;
  }

  private static int aheadRightX(int cx, int d) {
    return d == 0 || d == 3 ? cx : cx - 1;
  }

  private static int aheadRightY(int cy, int d) {
    return d == 0 || d == 1 ? cy : cy - 1;
  }

  private static boolean on(Mask mask, int x, int y) {
    return x >= 0 && y >= 0 && x < mask.width() && y < mask.height() && mask.get(x, y);
  }
}
