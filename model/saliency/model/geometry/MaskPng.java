package saliency.model.geometry;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Minimal reader of binary mask PNGs (first band thresholded at {@code > 127}); stateless. */
final class MaskPng {
  private MaskPng() {}

  /** Reads one mask; 8-bit or 1-bit grey (or the red band of a colour PNG), on where the value is > 127. */
  static Mask read(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException("not a readable image: " + file);
    }
    int w = img.getWidth();
    int h = img.getHeight();
    boolean[] bits = new boolean[w * h];
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      Raster r = img.getRaster();
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          bits[y * w + x] = row[x] > 127;
        }
      }
    } else {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          bits[y * w + x] = ((img.getRGB(x, y) >> 16) & 0xff) > 127;
        }
      }
    }
    return new Mask(w, h, bits);
  }

  /** The {@code .png} files of a folder, sorted by name. */
  static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("not a folder: " + dir);
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = new ArrayList<>(
          s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".png")).sorted().toList());
      return files;
    }
  }
}
