package saliency.model.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import saliency.model.geometry.Mask;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;

/** Draws labelled images as a grid with their mask outlines, for looking at data by eye; stateless. */
public final class ContactSheet {
  private static final int GAP = 2;
  private static final int[] OUTLINE_COLOURS = {0xffff00, 0x00ffff, 0xff00ff};

  private ContactSheet() {}

  /**
   * Renders {@code items} in a grid of {@code columns}, each upscaled {@code scale} times (nearest), with each
   * instance outlined in its own colour (yellow, cyan, magenta), or the mask outlined in yellow when there are
   * no instances. All items must have the same size.
   */
  public static BufferedImage render(List<LabelledImage> items, int columns, int scale) {
    Objects.requireNonNull(items, "items");
    if (items.isEmpty() || columns <= 0 || scale <= 0) {
      throw new IllegalArgumentException(
          "need items, columns > 0 and scale > 0: " + items.size() + ", " + columns + ", " + scale);
    }
    int w = items.get(0).image().width();
    int h = items.get(0).image().height();
    int rows = (items.size() + columns - 1) / columns;
    int cw = w * scale + GAP;
    int chh = h * scale + GAP;
    BufferedImage sheet = new BufferedImage(columns * cw + GAP, rows * chh + GAP, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < items.size(); i++) {
      LabelledImage item = items.get(i);
      RgbImage img = item.image();
      if (img.width() != w || img.height() != h) {
        throw new IllegalArgumentException(item.name() + " is " + img.width() + "x" + img.height()
            + ", expected " + w + "x" + h);
      }
      int ox = GAP + (i % columns) * cw;
      int oy = GAP + (i / columns) * chh;
      for (int y = 0; y < h * scale; y++) {
        for (int x = 0; x < w * scale; x++) {
          int sx = x / scale;
          int sy = y / scale;
          int r = to8(img.get(sx, sy, 0));
          int g = to8(img.get(sx, sy, 1));
          int b = to8(img.get(sx, sy, 2));
          sheet.setRGB(ox + x, oy + y, (r << 16) | (g << 8) | b);
        }
      }
      List<Mask> outlines = item.instances().isEmpty() ? List.of(item.mask()) : item.instances();
      for (int k = 0; k < outlines.size(); k++) {
        drawOutline(sheet, outlines.get(k), ox, oy, scale, OUTLINE_COLOURS[k % OUTLINE_COLOURS.length]);
      }
    }
    return sheet;
  }

  /** Renders and writes a PNG (see {@link #render}). */
  public static void write(Path file, List<LabelledImage> items, int columns, int scale) {
    ImageIo.write(file, render(items, columns, scale));
  }

  private static void drawOutline(BufferedImage sheet, Mask m, int ox, int oy, int scale, int colour) {
    int w = m.width() * scale;
    int h = m.height() * scale;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (on(m, x, y, scale) && (!on(m, x - 1, y, scale) || !on(m, x + 1, y, scale)
            || !on(m, x, y - 1, scale) || !on(m, x, y + 1, scale))) {
          sheet.setRGB(ox + x, oy + y, colour);
        }
      }
    }
  }

  private static boolean on(Mask m, int x, int y, int scale) {
    int sx = Math.floorDiv(x, scale);
    int sy = Math.floorDiv(y, scale);
    return sx >= 0 && sy >= 0 && sx < m.width() && sy < m.height() && m.get(sx, sy);
  }

  private static int to8(float v) {
    return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
  }
}
