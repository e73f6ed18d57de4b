package saliency.model.geometry;

import java.util.Arrays;

/**
 * 8-connected component labelling and outer-contour tracing on pixel corners; stateless.
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

  /** Labels 1..count per pixel (0 = background), pixel count per label and each label's first pixel in raster order. */
  record Components(int[] labels, int count, int[] area, int[] firstPixel) {}

  static Components label(Mask mask) {
    int w = mask.width();
    int h = mask.height();
    boolean[] bits = mask.bits();
    int[] labels = new int[bits.length];
    int[] queue = new int[bits.length];
    int[] area = new int[16];
    int[] first = new int[16];
    int count = 0;
    for (int start = 0; start < bits.length; start++) {
      if (!bits[start] || labels[start] != 0) {
        continue;
      }
      count++;
      if (count >= area.length) {
        area = Arrays.copyOf(area, area.length * 2);
        first = Arrays.copyOf(first, first.length * 2);
      }
      first[count] = start;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      labels[start] = count;
      while (head < tail) {
        int p = queue[head++];
        int px = p % w;
        int py = p / w;
        int y0 = Math.max(0, py - 1);
        int y1 = Math.min(h - 1, py + 1);
        int x0 = Math.max(0, px - 1);
        int x1 = Math.min(w - 1, px + 1);
        for (int y = y0; y <= y1; y++) {
          int row = y * w;
          for (int x = x0; x <= x1; x++) {
            int q = row + x;
            if (bits[q] && labels[q] == 0) {
              labels[q] = count;
              queue[tail++] = q;
            }
          }
        }
      }
      area[count] = tail;
    }
    return new Components(labels, count, area, first);
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
