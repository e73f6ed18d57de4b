package saliency.model.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.fuzz.Fuzz;
import saliency.fuzz.Mutator;

/**
 * Mutated PNG and JPEG files for the image and mask readers: only {@link BadInputException} (as documented) may escape,
 * never an Error, and each case ends within {@link Fuzz#CASE_LIMIT}.
 */
class ImageIoFuzzTest {
  private static final int CASES = 300;
  private static final List<Class<? extends Throwable>> BAD_INPUT = List.of(BadInputException.class);

  @TempDir Path dir;

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, format, out)) {
      throw new IOException("no writer for " + format);
    }
    return out.toByteArray();
  }

  private static BufferedImage picture(int type, Random rnd) {
    BufferedImage img = new BufferedImage(24, 16, type);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, (x * 10) << 16 | (y * 15) << 8 | rnd.nextInt(256));
      }
    }
    return img;
  }

  private void fuzz(String name, String suffix, byte[] valid, long seed) throws IOException {
    Random rnd = new Random(seed);
    int decoded = 0;
    long largest = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] b = Mutator.mutate(valid, rnd);
      Path f = dir.resolve("case" + suffix);
      Files.write(f, b);
      boolean mask = i % 2 == 1;
      long[] pixels = Fuzz.check(name, i, b, BAD_INPUT, () -> {
        if (mask) {
          GrayLevels g = ImageIo.readGrayLevels(f);
          return new long[] {(long) g.width() * g.height()};
        }
        RgbImage r = ImageIo.readRgb(f);
        return new long[] {(long) r.width() * r.height()};
      });
      if (pixels != null) {
        decoded++;
        largest = Math.max(largest, pixels[0]);
      }
    }
    System.out.printf("fuzz ImageIo %s: %d cases, 0 failures, %d decoded, largest image %d pixels "
        + "(bound %d pixels)%n", name, CASES, decoded, largest, ImageIo.MAX_PIXELS);
  }

  @Test
  void mutatedPng() throws IOException {
    Random rnd = new Random(21);
    fuzz("PNG", ".png", encode(picture(BufferedImage.TYPE_INT_RGB, rnd), "png"), 22);
  }

  @Test
  void mutatedGrayPng() throws IOException {
    Random rnd = new Random(23);
    fuzz("gray PNG", ".png", encode(picture(BufferedImage.TYPE_BYTE_GRAY, rnd), "png"), 24);
  }

  @Test
  void mutatedJpeg() throws IOException {
    Random rnd = new Random(25);
    fuzz("JPEG", ".jpg", encode(picture(BufferedImage.TYPE_INT_RGB, rnd), "jpg"), 26);
  }
}
