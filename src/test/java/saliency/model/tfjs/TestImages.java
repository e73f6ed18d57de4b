package saliency.model.tfjs;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import saliency.model.geometry.Mask;
import saliency.model.image.RgbImage;

/** Reads the shared test images and masks with ImageIO; stateless. */
final class TestImages {
  static final Path DATA = Path.of("../shared/data");
  static final Path DUTS_IMAGES = DATA.resolve("duts-tr-500/images");
  static final Path DAVIS = DATA.resolve("davis-2016");

  private TestImages() {}

  static RgbImage readRgb(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException("not a readable image: " + file);
    }
    int w = img.getWidth();
    int h = img.getHeight();
    float[] rgb = new float[w * h * 3];
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < argb.length; i++) {
      rgb[3 * i] = ((argb[i] >> 16) & 0xff) / 255f;
      rgb[3 * i + 1] = ((argb[i] >> 8) & 0xff) / 255f;
      rgb[3 * i + 2] = (argb[i] & 0xff) / 255f;
    }
    return new RgbImage(w, h, rgb);
  }

  static Mask readMask(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException("not a readable image: " + file);
    }
    int w = img.getWidth();
    int h = img.getHeight();
    boolean[] bits = new boolean[w * h];
    var raster = img.getRaster();
    int threshold = raster.getSampleModel().getSampleSize(0) == 1 ? 0 : 127;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        bits[y * w + x] = raster.getSample(x, y, 0) > threshold;
      }
    }
    return new Mask(w, h, bits);
  }

  /** The first {@code n} DUTS images by file name. */
  static List<Path> firstDuts(int n) throws IOException {
    try (Stream<Path> s = Files.list(DUTS_IMAGES)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().limit(n).toList();
    }
  }
}
