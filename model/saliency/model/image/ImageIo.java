package saliency.model.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import saliency.model.geometry.Mask;

/**
 * Reads images and masks from JPEG/PNG files and writes 8-bit gray and RGB PNGs; stateless.
 *
 * <p>Reading: any colour model is converted to RGB in [0,1]. Single-channel (grayscale, 1/8/16-bit) rasters are
 * read from their samples directly (Java's gray colour space is linear and would otherwise brighten the values);
 * palette images go through the palette; an alpha channel is composited over black. Masks become 8-bit levels:
 * gray samples scaled to 0..255, colour pixels by luminance {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R 601),
 * and a level above 127 is "on". A mask whose largest value is 1 (gray sample or colour component; 1-bit files
 * aside) was stored as 0/1: its values are scaled to 0/255 and {@link GrayLevels#zeroOne()} is set.
 *
 * <p>Decoding refuses, with a {@link BadInputException} naming the file: an image whose header declares more than
 * {@link #MAX_PIXELS} pixels ({@link ImageTooLargeException}, before any pixel is decoded), and an image whose
 * decoder warns, e.g. a JPEG cut short that would otherwise decode to a partly grey picture
 * ({@link TruncatedImageException}).
 */
public final class ImageIo {
  /** Most pixels (width x height) an image or mask may declare: 50 megapixels. */
  public static final long MAX_PIXELS = 50_000_000L;

  private ImageIo() {}

  /** Reads an image as RGB in [0,1]; throws {@link BadInputException} naming the file when it cannot. */
  public static RgbImage readRgb(Path file) {
    BufferedImage img = decode(file);
    int w = img.getWidth();
    int h = img.getHeight();
    float[] rgb = new float[w * h * 3];
    ColorModel cm = img.getColorModel();
    Raster raster = img.getRaster();
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && isPacked(raster, w * h * 3)) {
      // the common JPEG case: read the interleaved B, G, R bytes directly
      byte[] bgr = ((DataBufferByte) raster.getDataBuffer()).getData();
      for (int i = 0; i < w * h; i++) {
        rgb[3 * i] = (bgr[3 * i + 2] & 0xff) / 255f;
        rgb[3 * i + 1] = (bgr[3 * i + 1] & 0xff) / 255f;
        rgb[3 * i + 2] = (bgr[3 * i] & 0xff) / 255f;
      }
    } else if (img.getType() == BufferedImage.TYPE_BYTE_GRAY && isPacked(raster, w * h)) {
      byte[] g = ((DataBufferByte) raster.getDataBuffer()).getData();
      for (int i = 0; i < w * h; i++) {
        float v = (g[i] & 0xff) / 255f;
        rgb[3 * i] = v;
        rgb[3 * i + 1] = v;
        rgb[3 * i + 2] = v;
      }
    } else if (isPlainGray(cm, raster)) {
      float max = (1 << cm.getComponentSize(0)) - 1;
      boolean alpha = raster.getNumBands() == 2;
      float amax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1f;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = raster.getSample(x, y, 0) / max;
          if (alpha) {
            v *= raster.getSample(x, y, 1) / amax;
          }
          int o = (y * w + x) * 3;
          rgb[o] = v;
          rgb[o + 1] = v;
          rgb[o + 2] = v;
        }
      }
    } else {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int argb = row[x];
          float a = ((argb >>> 24) & 0xff) / 255f;
          int o = (y * w + x) * 3;
          rgb[o] = ((argb >> 16) & 0xff) / 255f * a;
          rgb[o + 1] = ((argb >> 8) & 0xff) / 255f * a;
          rgb[o + 2] = (argb & 0xff) / 255f * a;
        }
      }
    }
    return new RgbImage(w, h, rgb);
  }

  /**
   * Reads a mask file as 8-bit levels 0..255 (see the class comment for colour files and for masks stored as 0/1).
   */
  public static GrayLevels readGrayLevels(Path file) {
    BufferedImage img = decode(file);
    int w = img.getWidth();
    int h = img.getHeight();
    int[] levels = new int[w * h];
    ColorModel cm = img.getColorModel();
    Raster raster = img.getRaster();
    boolean zeroOne;
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY && isPacked(raster, w * h)) {
      byte[] g = ((DataBufferByte) raster.getDataBuffer()).getData();
      int max = 0;
      for (int i = 0; i < w * h; i++) {
        levels[i] = g[i] & 0xff;
        max = Math.max(max, levels[i]);
      }
      zeroOne = max == 1;
      if (zeroOne) {
        scaleZeroOne(levels);
      }
    } else if (isPlainGray(cm, raster)) {
      int bits = cm.getComponentSize(0);
      int max = firstBand(raster, levels);
      zeroOne = bits > 1 && max == 1;
      double scale = zeroOne ? 255 : 255.0 / ((1 << bits) - 1);
      for (int i = 0; i < levels.length; i++) {
        levels[i] = (int) Math.round(levels[i] * scale);
      }
    } else {
      int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
      int max = 0;
      for (int c : argb) {
        max = Math.max(max, Math.max((c >> 16) & 0xff, Math.max((c >> 8) & 0xff, c & 0xff)));
      }
      zeroOne = max == 1;
      int scale = zeroOne ? 255 : 1;
      for (int i = 0; i < argb.length; i++) {
        int c = argb[i];
        double lum = scale * (0.299 * ((c >> 16) & 0xff) + 0.587 * ((c >> 8) & 0xff) + 0.114 * (c & 0xff));
        levels[i] = (int) Math.min(255, Math.round(lum));
      }
    }
    return new GrayLevels(w, h, levels, zeroOne);
  }

  /**
   * Reads an instance file (see {@link InstanceLabels}): a palette PNG by palette index and a gray PNG (8 or 16
   * bits) by sample value, each distinct non-zero value one instance, numbered in value order (an index-coded map
   * 0, 1..K keeps its numbers); any other file by colour, each distinct non-black colour one instance (a pixel with
   * alpha 0 is background), numbered in raster order of its first pixel.
   */
  public static InstanceLabels readInstanceLabels(Path file) {
    BufferedImage img = decode(file);
    int w = img.getWidth();
    int h = img.getHeight();
    int[] labels = new int[w * h];
    ColorModel cm = img.getColorModel();
    Raster raster = img.getRaster();
    int count = 0;
    if (cm instanceof IndexColorModel || isPlainGray(cm, raster)) {
      int[] values = new int[w * h];
      int max = firstBand(raster, values);
      int[] label = new int[max + 1];
      for (int v : values) {
        label[v] = v == 0 ? 0 : -1;
      }
      for (int v = 1; v <= max; v++) {
        if (label[v] < 0) {
          label[v] = ++count;
        }
      }
      for (int i = 0; i < values.length; i++) {
        labels[i] = label[values[i]];
      }
    } else {
      int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
      Map<Integer, Integer> byColour = new HashMap<>();
      for (int i = 0; i < argb.length; i++) {
        int c = argb[i];
        if ((c >>> 24) == 0 || (c & 0xffffff) == 0) {
          continue;
        }
        Integer k = byColour.get(c & 0xffffff);
        if (k == null) {
          k = ++count;
          byColour.put(c & 0xffffff, k);
        }
        labels[i] = k;
      }
    }
    return new InstanceLabels(w, h, labels, count);
  }

  /** Copies the first band's samples into {@code out} (row-major) and returns the largest. */
  private static int firstBand(Raster raster, int[] out) {
    int w = raster.getWidth();
    int max = 0;
    for (int y = 0; y < raster.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        int v = raster.getSample(x, y, 0);
        out[y * w + x] = v;
        max = Math.max(max, v);
      }
    }
    return max;
  }

  private static void scaleZeroOne(int[] levels) {
    for (int i = 0; i < levels.length; i++) {
      levels[i] *= 255;
    }
  }

  /** Reads a mask file; a level above 127 is on. */
  public static Mask readMask(Path file) {
    return readGrayLevels(file).toMask();
  }

  /** Writes a map with values in [0,1] (clamped) as an 8-bit gray PNG; NaN is an error. */
  public static void writeGray8(Path file, double[] map, int width, int height) {
    Objects.requireNonNull(map, "map");
    checkLength(map.length, width, height, "map");
    byte[] bytes = new byte[map.length];
    for (int i = 0; i < map.length; i++) {
      double v = map[i];
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("map value at index " + i + " is NaN (writing " + file + ")");
      }
      bytes[i] = (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
    writeGray8(file, bytes, width, height);
  }

  /** Writes unsigned 8-bit levels as a gray PNG ({@link GrayPngEncoder}: "Up" rows, fast deflate). */
  public static void writeGray8(Path file, byte[] levels, int width, int height) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(levels, "levels");
    checkLength(levels.length, width, height, "levels");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
        GRAY_PNG.get().write(out, levels, width, height);
      }
    } catch (IOException e) {
      throw new BadInputException(file, "cannot write: " + e.getMessage(), e);
    }
  }

  /** One gray PNG encoder per writing thread (it keeps its deflater and buffers). */
  private static final ThreadLocal<GrayPngEncoder> GRAY_PNG = ThreadLocal.withInitial(() -> new GrayPngEncoder(1));

  /** Writes a binary mask as an 8-bit gray PNG (0 / 255). */
  public static void writeMask(Path file, Mask mask) {
    boolean[] bits = mask.bits();
    byte[] levels = new byte[bits.length];
    for (int i = 0; i < bits.length; i++) {
      levels[i] = bits[i] ? (byte) 255 : 0;
    }
    writeGray8(file, levels, mask.width(), mask.height());
  }

  /** Writes an RGB image (values clamped to [0,1]) as PNG, or JPEG when the name ends in .jpg/.jpeg. */
  public static void writeRgb(Path file, RgbImage image) {
    write(file, toBufferedImage(image));
  }

  /** An 8-bit {@code TYPE_INT_RGB} copy of the image. */
  public static BufferedImage toBufferedImage(RgbImage image) {
    int w = image.width();
    int h = image.height();
    float[] rgb = image.rgb();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        row[x] = (to8(rgb[o]) << 16) | (to8(rgb[o + 1]) << 8) | to8(rgb[o + 2]);
      }
      img.setRGB(0, y, w, 1, row, 0, w);
    }
    return img;
  }

  /** Writes a BufferedImage as PNG, or JPEG when the name ends in .jpg/.jpeg; creates parent folders. */
  public static void write(Path file, BufferedImage img) {
    Objects.requireNonNull(file, "file");
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String format = name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpg" : "png";
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(img, format, file.toFile())) {
        throw new BadInputException(file, "no " + format + " writer for this image type");
      }
    } catch (IOException e) {
      throw new BadInputException(file, "cannot write: " + e.getMessage(), e);
    }
  }

  private static int to8(float v) {
    return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
  }

  private static void checkLength(int length, int width, int height, String what) {
    if (width <= 0 || height <= 0 || length != (long) width * height) {
      throw new IllegalArgumentException(what + " length " + length + " != " + width + "x" + height);
    }
  }

  /** Whether the raster's bytes are exactly its pixels, unshared and without offset (not a sub-image). */
  private static boolean isPacked(Raster raster, int length) {
    return raster.getDataBuffer() instanceof DataBufferByte db
        && db.getNumBanks() == 1
        && db.getOffset() == 0
        && db.getData().length == length
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0;
  }

  private static boolean isPlainGray(ColorModel cm, Raster raster) {
    return !(cm instanceof IndexColorModel)
        && cm.getNumColorComponents() == 1
        && raster.getNumBands() == cm.getNumComponents();
  }

  /**
   * Decodes the first image of a file: checks the declared size against {@link #MAX_PIXELS} before reading any
   * pixel, and treats any decoder warning (e.g. "Premature end of JPEG file") as a truncated image.
   */
  private static BufferedImage decode(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, Files.exists(file) ? "not a regular file" : "no such file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new BadInputException(file, "not a readable JPEG or PNG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if ((long) w * h > MAX_PIXELS) {
          throw new ImageTooLargeException(file, w, h);
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage img = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new TruncatedImageException(file, "truncated or corrupt image data (decoder warning: "
              + String.join("; ", warnings) + ")");
        }
        if (img == null) {
          throw new BadInputException(file, "not a readable JPEG or PNG image");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (BadInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file, "cannot decode image: " + e.getMessage(), e);
    }
  }
}
