package saliency.model.metrics;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Reads saliency maps and masks (PNG, JPEG, BMP) as 8-bit grey images the way
 * {@code cv2.imread(path, cv2.IMREAD_GRAYSCALE)} does for the usual cases: grey levels read
 * unchanged, 1/2/4-bit grey and palette images expanded to 0..255, 16-bit levels shifted to 8
 * bits, colour converted with OpenCV's fixed-point {@code 0.299 R + 0.587 G + 0.114 B}. Alpha is
 * ignored. Stateless.
 */
public final class GrayImages {
  private GrayImages() {}

  /** Reads {@code file}; an unreadable or undecodable file is an error naming it. */
  public static GrayImage read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("not a file: " + file);
    }
    BufferedImage im = ImageIO.read(file.toFile());
    if (im == null) {
      throw new IOException("no image decoder for " + file);
    }
    return fromBufferedImage(im);
  }

  /** Converts a decoded image to grey levels. */
  public static GrayImage fromBufferedImage(BufferedImage im) {
    int w = im.getWidth();
    int h = im.getHeight();
    Raster r = im.getRaster();
    ColorModel cm = im.getColorModel();
    int[] out = new int[w * h];
    if (cm instanceof IndexColorModel icm) {
      int size = icm.getMapSize();
      int[] lut = new int[size];
      for (int i = 0; i < size; i++) {
        lut[i] = rgbToGray(icm.getRed(i), icm.getGreen(i), icm.getBlue(i));
      }
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = lut[row[x]];
        }
      }
      return new GrayImage(w, h, out);
    }
    int bands = r.getNumBands();
    int bits = r.getSampleModel().getSampleSize(0);
    int[] px = new int[bands];
    boolean colour = cm.getNumColorComponents() >= 3 && bands >= 3;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r.getPixel(x, y, px);
        int v;
        if (colour) {
          v = rgbToGray(to8(px[0], bits), to8(px[1], bits), to8(px[2], bits));
        } else {
          v = to8(px[0], bits);
        }
        out[y * w + x] = v;
      }
    }
    return new GrayImage(w, h, out);
  }

  private static int to8(int sample, int bits) {
    if (bits == 8) {
      return sample;
    } else if (bits > 8) {
      return sample >> (bits - 8);
    }
    int max = (1 << bits) - 1;
    return sample * 255 / max;
  }

  /** OpenCV's {@code COLOR_RGB2GRAY} in 14-bit fixed point. */
  static int rgbToGray(int r, int g, int b) {
    return (r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14;
  }
}
