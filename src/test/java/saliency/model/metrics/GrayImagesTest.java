package saliency.model.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grey-level reading of 8-bit, 1-bit, 16-bit and colour images. */
class GrayImagesTest {
  @TempDir Path dir;

  @Test
  void eightBitGreyIsReadUnchanged() throws IOException {
    BufferedImage im = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    int[] levels = {0, 1, 127, 128, 200, 255};
    im.getRaster().setPixels(0, 0, 3, 2, levels);
    Path f = dir.resolve("g.png");
    ImageIO.write(im, "png", f.toFile());
    GrayImage g = GrayImages.read(f);
    assertEquals(3, g.width());
    assertEquals(2, g.height());
    assertArrayEquals(levels, g.pixels());
  }

  @Test
  void oneBitMaskBecomesZeroAnd255() throws IOException {
    BufferedImage im = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY);
    im.getRaster().setPixels(0, 0, 4, 1, new int[] {0, 1, 1, 0});
    Path f = dir.resolve("b.png");
    ImageIO.write(im, "png", f.toFile());
    assertArrayEquals(new int[] {0, 255, 255, 0}, GrayImages.read(f).pixels());
  }

  @Test
  void sixteenBitKeepsTheHighByte() throws IOException {
    BufferedImage im = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    im.getRaster().setPixels(0, 0, 2, 1, new int[] {0x1234, 0xFFFF});
    Path f = dir.resolve("s.png");
    ImageIO.write(im, "png", f.toFile());
    assertArrayEquals(new int[] {0x12, 0xFF}, GrayImages.read(f).pixels());
  }

  @Test
  void colourUsesOpenCvWeights() throws IOException {
    BufferedImage im = new BufferedImage(4, 1, BufferedImage.TYPE_3BYTE_BGR);
    im.setRGB(0, 0, 0xFF0000);
    im.setRGB(1, 0, 0x00FF00);
    im.setRGB(2, 0, 0x0000FF);
    im.setRGB(3, 0, 0x808080);
    Path f = dir.resolve("c.png");
    ImageIO.write(im, "png", f.toFile());
    // cv2.cvtColor(..., COLOR_RGB2GRAY) of pure red, green, blue and grey 128
    assertArrayEquals(new int[] {76, 150, 29, 128}, GrayImages.read(f).pixels());
  }

  @Test
  void undecodableFileIsNamed() throws IOException {
    Path f = dir.resolve("junk.png");
    Files.writeString(f, "not an image");
    IOException e = assertThrows(IOException.class, () -> GrayImages.read(f));
    assertTrue(e.getMessage().contains("junk.png"), e.getMessage());
  }
}
