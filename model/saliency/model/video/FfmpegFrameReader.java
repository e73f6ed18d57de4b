package saliency.model.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import saliency.model.image.RgbImage;

/**
 * Reads anything FFmpeg opens (a file, a stream URL, a device) through JavaCV's {@link FFmpegFrameGrabber}, as 8-bit
 * BGR frames turned into {@link RgbImage}s; a frame whose decoding fails is a counted skip, and
 * {@value #MAX_CONSECUTIVE_FAILURES} failures in a row end the source (counted too).
 */
public final class FfmpegFrameReader implements FrameReader {
  /** Decoding failures in a row after which the source is treated as ended. */
  static final int MAX_CONSECUTIVE_FAILURES = 25;

  private final String source;
  private final FFmpegFrameGrabber grabber;
  private final List<String> skips = new CopyOnWriteArrayList<>();
  private final double fps;
  private long index;
  private boolean ended;

  private FfmpegFrameReader(String source, FFmpegFrameGrabber grabber) {
    this.source = source;
    this.grabber = grabber;
    double r = grabber.getFrameRate();
    this.fps = r > 0 && !Double.isInfinite(r) ? r : 25;
  }

  /**
   * Opens {@code source} (a file path, or a URL / device name FFmpeg understands) and starts decoding.
   *
   * @throws UncheckedIOException naming the source when FFmpeg cannot open it or it has no video stream
   */
  public static FfmpegFrameReader open(String source) {
    Objects.requireNonNull(source, "source");
    if (!source.contains(":") && !Files.exists(Path.of(source))) {
      throw new UncheckedIOException(new IOException(source + ": no such file"));
    }
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(source);
    g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    try {
      g.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly(g);
      throw new UncheckedIOException(new IOException(source + ": FFmpeg cannot open it as a video: "
          + e.getMessage(), e));
    }
    if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
      closeQuietly(g);
      throw new UncheckedIOException(new IOException(source + ": no video stream"));
    }
    return new FfmpegFrameReader(source, g);
  }

  /** The width FFmpeg declares for the video stream. */
  public int width() {
    return grabber.getImageWidth();
  }

  /** The height FFmpeg declares for the video stream. */
  public int height() {
    return grabber.getImageHeight();
  }

  /** Frames the container declares (0 or a guess for streams). */
  public int declaredFrames() {
    return grabber.getLengthInVideoFrames();
  }

  @Override
  public Optional<VideoFrame> next() {
    int failures = 0;
    while (!ended) {
      long i = index;
      try {
        Frame f = grabber.grabImage();
        if (f == null) {
          ended = true;
          return Optional.empty();
        }
        index++;
        if (f.image == null || f.imageWidth <= 0 || f.imageHeight <= 0) {
          skips.add("frame " + i + ": no image data");
          failures++;
        } else {
          long ptsMs = f.timestamp >= 0 ? Math.round(f.timestamp / 1000.0) : Math.round(i * 1000.0 / fps);
          return Optional.of(new VideoFrame(i, ptsMs, toRgb(f)));
        }
      } catch (FrameGrabber.Exception | RuntimeException e) {
        index++;
        failures++;
        skips.add("frame " + i + ": cannot decode: " + e.getMessage());
      }
      if (failures >= MAX_CONSECUTIVE_FAILURES) {
        skips.add("source ended after " + failures + " frames in a row failed to decode");
        ended = true;
      }
    }
    return Optional.empty();
  }

  /** The frame's packed BGR24 bytes (rows {@code imageStride} bytes apart) as RGB floats in [0,1]. */
  static RgbImage toRgb(Frame f) {
    int w = f.imageWidth;
    int h = f.imageHeight;
    int channels = f.imageChannels;
    if (channels != 3) {
      throw new IllegalStateException("expected 3 channels (BGR24), got " + channels);
    }
    ByteBuffer buf = (ByteBuffer) f.image[0];
    int stride = f.imageStride;
    float[] rgb = new float[w * h * 3];
    byte[] row = new byte[w * 3];
    for (int y = 0; y < h; y++) {
      buf.get(y * stride, row, 0, w * 3);
      int o = y * w * 3;
      for (int x = 0; x < w; x++) {
        rgb[o + 3 * x] = (row[3 * x + 2] & 0xff) / 255f;
        rgb[o + 3 * x + 1] = (row[3 * x + 1] & 0xff) / 255f;
        rgb[o + 3 * x + 2] = (row[3 * x] & 0xff) / 255f;
      }
    }
    return new RgbImage(w, h, rgb);
  }

  @Override
  public double frameRate() {
    return fps;
  }

  @Override
  public List<String> skips() {
    return List.copyOf(skips);
  }

  @Override
  public String describe() {
    return source;
  }

  @Override
  public void close() {
    ended = true;
    closeQuietly(grabber);
  }

  private static void closeQuietly(FFmpegFrameGrabber g) {
    try {
      g.close();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      // nothing more to release
    }
  }
}
