package saliency.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.geometry.Mask;

class ImageIoTest {
  @TempDir Path dir;

  @Test
  void rgbPngRoundTripsExactly() throws Exception {
    float[] rgb = new float[4 * 3 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (i * 17 % 256) / 255f;
    }
    Path f = dir.resolve("a.png");
    ImageIo.writeRgb(f, new RgbImage(4, 3, rgb));
    RgbImage back = ImageIo.readRgb(f);
    assertEquals(4, back.width());
    assertEquals(3, back.height());
    assertArrayEquals(rgb, back.rgb(), 1e-6f);
  }

  @Test
  void grayscaleImageKeepsItsLevels() throws Exception {
    BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(0, 0, 0, 100);
    g.getRaster().setSample(1, 0, 0, 200);
    Path f = dir.resolve("g.png");
    ImageIO.write(g, "png", f.toFile());
    RgbImage img = ImageIo.readRgb(f);
    // read from samples, not through the linear gray colour space (which would brighten 100 to ~170)
    assertEquals(100 / 255f, img.get(0, 0, 0), 1e-6f);
    assertEquals(100 / 255f, img.get(0, 0, 2), 1e-6f);
    assertEquals(200 / 255f, img.get(1, 0, 1), 1e-6f);
  }

  @Test
  void paletteAndAlphaImagesBecomeRgb() throws Exception {
    byte[] r = {0, (byte) 255};
    byte[] gr = {0, 0};
    byte[] b = {0, (byte) 128};
    BufferedImage p = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, gr, b));
    p.getRaster().setSample(1, 0, 0, 1);
    Path fp = dir.resolve("p.png");
    ImageIO.write(p, "png", fp.toFile());
    RgbImage pi = ImageIo.readRgb(fp);
    assertEquals(1f, pi.get(1, 0, 0), 1e-6f);
    assertEquals(128 / 255f, pi.get(1, 0, 2), 1e-6f);
    assertEquals(0f, pi.get(0, 0, 0), 1e-6f);

    BufferedImage a = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    a.setRGB(0, 0, (0x80 << 24) | 0xff0000); // half transparent red
    Path fa = dir.resolve("a.png");
    ImageIO.write(a, "png", fa.toFile());
    RgbImage ai = ImageIo.readRgb(fa);
    assertEquals(128 / 255f, ai.get(0, 0, 0), 1e-6f); // composited over black
    assertEquals(0f, ai.get(0, 0, 1), 1e-6f);
  }

  @Test
  void masksFromGrayOneBitAndColour() throws Exception {
    Mask m = new Mask(3, 2);
    m.set(1, 0, true);
    m.set(2, 1, true);
    Path f8 = dir.resolve("m8.png");
    ImageIo.writeMask(f8, m);
    assertEquals(m, ImageIo.readMask(f8));

    BufferedImage bin = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_BINARY);
    bin.getRaster().setSample(1, 0, 0, 1);
    bin.getRaster().setSample(2, 1, 0, 1);
    Path f1 = dir.resolve("m1.png");
    ImageIO.write(bin, "png", f1.toFile());
    assertEquals(m, ImageIo.readMask(f1));
    assertArrayEquals(new int[] {0, 255, 0, 0, 0, 255}, ImageIo.readGrayLevels(f1).levels());

    BufferedImage col = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    col.setRGB(0, 0, 0x00ff00); // green: luminance 150 -> on
    col.setRGB(1, 0, 0x0000ff); // blue: luminance 29 -> off
    Path fc = dir.resolve("mc.png");
    ImageIO.write(col, "png", fc.toFile());
    Mask cm = ImageIo.readMask(fc);
    assertTrue(cm.get(0, 0));
    assertFalse(cm.get(1, 0));
  }

  @Test
  void grayPngsReadBackExactlyThroughTheJdkDecoder() throws Exception {
    java.util.Random rnd = new java.util.Random(7);
    int[][] sizes = {{1, 1}, {3, 2}, {854, 480}, {17, 300}};
    for (int[] wh : sizes) {
      int w = wh[0];
      int h = wh[1];
      byte[] levels = new byte[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          // a blob with noise and every level at least once on large images: the Up filter's wrap-around and all
          // 256 values are exercised
          int v = (x - w / 2) * (x - w / 2) + (y - h / 2) * (y - h / 2) < w * h / 8 ? 255 : rnd.nextInt(4);
          levels[y * w + x] = (byte) ((y * w + x) < 256 ? (y * w + x) : v);
        }
      }
      Path f = dir.resolve("g" + w + "x" + h + ".png");
      ImageIo.writeGray8(f, levels, w, h);
      BufferedImage img = ImageIO.read(f.toFile());
      assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType(), "8-bit gray");
      assertEquals(w, img.getWidth());
      assertEquals(h, img.getHeight());
      byte[] back = new byte[w * h];
      img.getRaster().getDataElements(0, 0, w, h, back);
      assertArrayEquals(levels, back, w + "x" + h);
    }
  }

  @Test
  void grayPngWriterNamesAFileItCannotWrite() throws Exception {
    Path blocked = dir.resolve("file");
    Files.writeString(blocked, "x");
    Path f = blocked.resolve("m.png");
    BadInputException e = assertThrows(BadInputException.class, () -> ImageIo.writeGray8(f, new byte[4], 2, 2));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void grayMapWriterClampsAndRejectsNaN() throws Exception {
    Path f = dir.resolve("map.png");
    ImageIo.writeGray8(f, new double[] {-1, 0.5, 2}, 3, 1);
    assertArrayEquals(new int[] {0, 128, 255}, ImageIo.readGrayLevels(f).levels());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageIo.writeGray8(dir.resolve("nan.png"), new double[] {Double.NaN}, 1, 1));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ImageIo.writeGray8(f, new byte[5], 2, 2));
  }

  @Test
  void unreadableAndMissingFilesNameTheFile() throws Exception {
    Path junk = dir.resolve("junk.jpg");
    Files.writeString(junk, "this is not a jpeg");
    BadInputException e = assertThrows(BadInputException.class, () -> ImageIo.readRgb(junk));
    assertEquals(junk, e.file());
    assertTrue(e.getMessage().contains("junk.jpg"), e.getMessage());
    assertTrue(e.reason().contains("not a readable"), e.reason());

    Path missing = dir.resolve("missing.png");
    BadInputException m = assertThrows(BadInputException.class, () -> ImageIo.readMask(missing));
    assertEquals("no such file", m.reason());
  }

  @Test
  void masksStoredAsZeroOneAreReadAsBinary() throws Exception {
    // DUTS-style 8-bit gray mask whose object pixels are 1, not 255: read as 0/255, not as an empty mask
    BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(1, 0, 0, 1);
    g.getRaster().setSample(2, 1, 0, 1);
    Path f8 = dir.resolve("zero-one.png");
    ImageIO.write(g, "png", f8.toFile());
    GrayLevels levels = ImageIo.readGrayLevels(f8);
    assertArrayEquals(new int[] {0, 255, 0, 0, 0, 255}, levels.levels());
    assertTrue(levels.zeroOne());
    assertEquals(2, ImageIo.readMask(f8).count());

    // the same as 16-bit gray and as RGB
    BufferedImage g16 = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setSample(1, 0, 0, 1);
    Path f16 = dir.resolve("zero-one-16.png");
    ImageIO.write(g16, "png", f16.toFile());
    assertArrayEquals(new int[] {0, 255, 0, 0, 0, 0}, ImageIo.readGrayLevels(f16).levels());
    BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(1, 0, 0x010101);
    Path fc = dir.resolve("zero-one-rgb.png");
    ImageIO.write(rgb, "png", fc.toFile());
    assertArrayEquals(new int[] {0, 255}, ImageIo.readGrayLevels(fc).levels());

    // ordinary 0/255 and 1-bit masks are not flagged; an all-zero mask stays empty
    Mask m = new Mask(3, 2);
    m.set(0, 0, true);
    Path normal = dir.resolve("normal.png");
    ImageIo.writeMask(normal, m);
    assertFalse(ImageIo.readGrayLevels(normal).zeroOne());
    BufferedImage bin = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_BINARY);
    bin.getRaster().setSample(0, 0, 0, 1);
    Path f1 = dir.resolve("bin.png");
    ImageIO.write(bin, "png", f1.toFile());
    assertFalse(ImageIo.readGrayLevels(f1).zeroOne());
    Path zeros = dir.resolve("zeros.png");
    ImageIO.write(new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY), "png", zeros.toFile());
    assertTrue(ImageIo.readMask(zeros).isEmpty());
  }

  /** A JPEG of noise with only the first fifth of its bytes. */
  static void writeTruncatedJpeg(Path file, int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.util.Random rnd = new java.util.Random(1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    byte[] bytes = out.toByteArray();
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 5));
  }

  @Test
  void truncatedJpegIsAnErrorNamingTheFile() throws Exception {
    Path cut = dir.resolve("cut.jpg");
    writeTruncatedJpeg(cut, 320, 240);
    BadInputException e = assertThrows(BadInputException.class, () -> ImageIo.readRgb(cut));
    assertEquals(cut, e.file());
    assertTrue(e instanceof TruncatedImageException, e.toString());
    assertTrue(e.reason().contains("truncated"), e.reason());
    assertTrue(e.getMessage().contains("cut.jpg"), e.getMessage());
    // the whole file still reads
    Path whole = dir.resolve("whole.jpg");
    ImageIo.writeRgb(whole, new RgbImage(64, 48, new float[64 * 48 * 3]));
    assertEquals(64, ImageIo.readRgb(whole).width());
  }

  /** A valid-looking 8-bit gray PNG header declaring {@code w x h}, with a tiny (short) image data chunk. */
  static void writePngHeader(Path file, int w, int h) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h);
    ihdr.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    java.util.zip.Deflater d = new java.util.zip.Deflater();
    d.setInput(new byte[(int) Math.min(4096, (long) h * (w + 1))]);
    d.finish();
    byte[] z = new byte[8192];
    int n = d.deflate(z);
    chunk(out, "IDAT", java.util.Arrays.copyOf(z, n));
    chunk(out, "IEND", new byte[0]);
    Files.write(file, out.toByteArray());
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws Exception {
    java.io.DataOutputStream d = new java.io.DataOutputStream(out);
    d.writeInt(data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }

  @Test
  void decompressionBombIsRefusedFromItsHeader() throws Exception {
    Path bomb = dir.resolve("bomb.png");
    writePngHeader(bomb, 16000, 16000);
    assertTrue(Files.size(bomb) < 1000);
    long t0 = System.nanoTime();
    BadInputException e = assertThrows(BadInputException.class, () -> ImageIo.readRgb(bomb));
    BadInputException m = assertThrows(BadInputException.class, () -> ImageIo.readMask(bomb));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(bomb, e.file());
    assertTrue(e.reason().contains("16000x16000") && e.reason().contains("over the limit"), e.reason());
    assertTrue(m.reason().contains("over the limit"), m.reason());
    assertTrue(seconds < 2, "took " + seconds + " s");
    // a small image written the same way is decoded
    Path small = dir.resolve("small.png");
    writePngHeader(small, 8, 8);
    assertEquals(8, ImageIo.readGrayLevels(small).width());
  }
}
