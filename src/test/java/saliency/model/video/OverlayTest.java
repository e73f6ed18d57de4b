package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import saliency.model.image.RgbImage;

/** The overlay drawing: tint and outline as BGR bytes, and the same drawing as a JPEG. */
class OverlayTest {
  @Test
  void drawTintsTheMaskAndOutlinesItInRed() {
    float[] px = new float[4 * 4 * 3];
    Arrays.fill(px, 0.5f);
    VideoFrame f = new VideoFrame(0, 0, new RgbImage(4, 4, px));
    double[] map = new double[16];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 3; x++) {
        map[y * 4 + x] = 1;
      }
    }
    ByteBuffer b = ByteBuffer.allocate(16 * 3);
    Overlay.draw(f, map, b, 12);
    int edge = 0;
    assertEquals(0, b.get(edge) & 0xff);
    assertEquals(255, b.get(edge + 2) & 0xff);
    int inside = (1 * 4 + 1) * 3;
    assertEquals(Math.round(0.5 * 0.6 * 255), b.get(inside) & 0xff);
    assertEquals(Math.round((0.5 * 0.6 + 0.4) * 255), b.get(inside + 2) & 0xff);
    int outside = (1 * 4 + 3) * 3;
    assertEquals(128, b.get(outside) & 0xff);
  }

  @Test
  void jpegIsTheFrameSizedOverlayWithARedOutline() throws Exception {
    float[] px = new float[64 * 48 * 3];
    Arrays.fill(px, 0.2f);
    VideoFrame f = new VideoFrame(3, 125, new RgbImage(64, 48, px));
    double[] map = new double[64 * 48];
    for (int y = 10; y < 38; y++) {
      for (int x = 16; x < 48; x++) {
        map[y * 64 + x] = 1;
      }
    }
    byte[] jpeg = Overlay.jpeg(f, map, 0.9f);
    assertEquals(0xFF, jpeg[0] & 0xff);
    assertEquals(0xD8, jpeg[1] & 0xff);
    assertEquals(0xFF, jpeg[jpeg.length - 2] & 0xff);
    assertEquals(0xD9, jpeg[jpeg.length - 1] & 0xff);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertEquals(64, back.getWidth());
    assertEquals(48, back.getHeight());
    int inside = back.getRGB(32, 24);
    int outside = back.getRGB(4, 4);
    assertTrue(((inside >> 16) & 0xff) > ((outside >> 16) & 0xff) + 60, Integer.toHexString(inside));
    assertTrue(((inside >> 8) & 0xff) < ((outside >> 8) & 0xff), Integer.toHexString(inside));
  }

  @Test
  void aMapOfAnotherSizeIsRefused() {
    VideoFrame f = new VideoFrame(0, 0, new RgbImage(4, 4, new float[4 * 4 * 3]));
    assertThrows(IllegalArgumentException.class, () -> Overlay.jpeg(f, new double[15], 0.8f));
  }
}
