package saliency.model.video;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The overlay drawing of the video outputs: a frame with its predicted mask (map above 0.5) tinted red at
 * {@value #TINT} and outlined in solid red, as BGR24 bytes for the MP4 writer or as a JPEG for the live view; stateless.
 */
public final class Overlay {
  /** Opacity of the red tint over the mask. */
  public static final double TINT = 0.4;

  private Overlay() {}

  /** The overlay of {@code map} (values in [0,1], the frame's size) on {@code frame} as a JPEG of the frame's size. */
  public static byte[] jpeg(VideoFrame frame, double[] map, float quality) {
    Objects.requireNonNull(frame, "frame");
    checkMap(frame, map);
    if (!(quality > 0 && quality <= 1)) {
      throw new IllegalArgumentException("quality must be in (0, 1], got " + quality);
    }
    BufferedImage img = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    draw(frame, map, ByteBuffer.wrap(bgr), 3 * frame.width());
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(frame.width() * frame.height() / 4 + 1024);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode frame " + frame.index() + " as JPEG: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** The tinted, outlined frame as BGR24 bytes, rows {@code stride} bytes apart. */
  static void draw(VideoFrame frame, double[] map, ByteBuffer bgr, int stride) {
    int w = frame.width();
    int h = frame.height();
    float[] rgb = frame.image().rgb();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        boolean on = map[i] > 0.5;
        boolean edge = on && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || map[i - 1] <= 0.5
            || map[i + 1] <= 0.5 || map[i - w] <= 0.5 || map[i + w] <= 0.5);
        double r = rgb[3 * i];
        double g = rgb[3 * i + 1];
        double b = rgb[3 * i + 2];
        if (edge) {
          r = 1;
          g = 0;
          b = 0;
        } else if (on) {
          r = r * (1 - TINT) + TINT;
          g = g * (1 - TINT);
          b = b * (1 - TINT);
        }
        int o = y * stride + 3 * x;
        bgr.put(o, level(b));
        bgr.put(o + 1, level(g));
        bgr.put(o + 2, level(r));
      }
    }
  }

  /** Throws unless {@code map} has one value per pixel of {@code frame}. */
  static void checkMap(VideoFrame frame, double[] map) {
    Objects.requireNonNull(map, "map");
    if (map.length != frame.width() * frame.height()) {
      throw new IllegalArgumentException("map of " + map.length + " values for a " + frame.width() + "x"
          + frame.height() + " frame " + frame.index());
    }
  }

  private static byte level(double v) {
    return (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
  }
}
