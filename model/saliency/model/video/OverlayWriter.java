package saliency.model.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Writes frames with their predicted mask (map above 0.5) tinted and outlined in red by {@link Overlay} to an MP4 file
 * through JavaCV's {@link FFmpegFrameRecorder}: H.264 by {@code libopenh264} (the bytedeco FFmpeg build has no
 * {@code libx264}), else MPEG-4 part 2 ({@code mpeg4}). The size is fixed by the first frame; a frame of another size
 * is a counted skip. Each frame is placed at its presentation timestamp (frames dropped upstream leave a gap, never a
 * shift). The overlay is drawn on the caller's thread and encoded on the writer's own encoder thread, at most
 * {@link #QUEUED} frames behind ({@link #write} blocks while they wait, so memory stays bounded), so drawing and
 * writing other outputs overlap the encoder; an encoding error is thrown by the next {@code write} or by
 * {@code close}. Called from one thread at a time; close it to finalise the file.
 */
public final class OverlayWriter implements AutoCloseable {
  /** Encoders tried in order. */
  static final List<String> CODECS = List.of("libopenh264", "mpeg4");

  /** Frames drawn and waiting for the encoder thread at most. */
  static final int QUEUED = 2;

  /** A drawn frame for the encoder, or the end ({@code frame} null). */
  private record Job(Frame frame, long index, long target) {}

  private final Path file;
  private final double fps;
  private FFmpegFrameRecorder recorder;
  private String codec;
  private int width;
  private int height;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong encodeNanos = new AtomicLong();
  private long skipped;
  private boolean closed;
  private final BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(QUEUED);
  private Thread encoder;
  /** The first encoding error of the encoder thread. */
  private volatile IOException failure;

  public OverlayWriter(Path file, double fps) {
    this.file = Objects.requireNonNull(file, "file");
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    this.fps = fps;
  }

  /** Draws {@code map} (values in [0,1], the frame's size) on {@code frame} and encodes it. */
  public void write(VideoFrame frame, double[] map) throws IOException {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(map, "map");
    if (closed) {
      throw new IllegalStateException(file + ": overlay writer is closed");
    }
    if (recorder == null) {
      open(frame.width(), frame.height());
    }
    if (frame.width() != width || frame.height() != height) {
      skipped++;
      return;
    }
    throwIfFailed();
    Frame f = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
    Overlay.draw(frame, map, (ByteBuffer) f.image[0], f.imageStride);
    long target = Math.round(frame.ptsMs() * fps / 1000.0);
    try {
      jobs.put(new Job(f, frame.index(), target));
    } catch (InterruptedException e) {
      f.close();
      Thread.currentThread().interrupt();
      throw new IOException(file + ": interrupted while frame " + frame.index() + " waited for the encoder", e);
    }
  }

  private void throwIfFailed() throws IOException {
    IOException e = failure;
    if (e != null) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The encoder thread: encodes the queued frames in order until the end job; stops at the first error. */
  private void encode(FFmpegFrameRecorder rec) {
    long encoded = 0;
    while (true) {
      Job job;
      try {
        job = jobs.take();
      } catch (InterruptedException e) {
        failure = new IOException(file + ": encoder interrupted");
        return;
      }
      if (job.frame() == null) {
        return;
      }
      try {
        if (failure == null) {
          if (encoded > 0 && job.target() > rec.getFrameNumber()) {
            rec.setFrameNumber((int) job.target());
          }
          long t0 = System.nanoTime();
          rec.record(job.frame(), avutil.AV_PIX_FMT_BGR24);
          encodeNanos.addAndGet(System.nanoTime() - t0);
          encoded++;
          written.incrementAndGet();
        }
      } catch (FrameRecorder.Exception | RuntimeException e) {
        failure = new IOException(file + ": cannot encode frame " + job.index() + ": " + e.getMessage(), e);
      } finally {
        job.frame().close();
      }
    }
  }

  private void open(int w, int h) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    StringBuilder failures = new StringBuilder();
    for (String c : CODECS) {
      if (avcodec.avcodec_find_encoder_by_name(c) == null) {
        failures.append(c).append(": not in this FFmpeg build; ");
        continue;
      }
      FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), w, h, 0);
      r.setFormat("mp4");
      r.setVideoCodecName(c);
      r.setFrameRate(fps);
      r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      r.setVideoBitrate(Math.max(400_000, (int) Math.min(20_000_000L, (long) w * h * 4L)));
      r.setGopSize((int) Math.max(1, Math.round(fps)));
      try {
        r.start();
        recorder = r;
        codec = c;
        width = w;
        height = h;
        encoder = new Thread(() -> encode(r), "overlay-encoder " + file.getFileName());
        encoder.setDaemon(true);
        encoder.start();
        return;
      } catch (FrameRecorder.Exception | RuntimeException e) {
        failures.append(c).append(": ").append(e.getMessage()).append("; ");
        try {
          r.release();
        } catch (FrameRecorder.Exception | RuntimeException ignored) {
          // nothing more to release
        }
      }
    }
    throw new IOException(file + ": cannot open an MP4 encoder for " + w + "x" + h + ": " + failures);
  }

  /** The encoder in use (null before the first frame). */
  public String codec() {
    return codec;
  }

  /** Frames encoded. */
  public long written() {
    return written.get();
  }

  /** Nanoseconds the encoder thread spent encoding the frames written so far. */
  public long encodeNanos() {
    return encodeNanos.get();
  }

  /** Frames skipped for a size other than the first frame's. */
  public long skipped() {
    return skipped;
  }

  /**
   * Encodes the frames still queued, flushes the encoder and finalises the MP4 (idempotent); what was written stays
   * playable. Throws the first encoding error, if any.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    FFmpegFrameRecorder r = recorder;
    recorder = null;
    if (r == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        jobs.put(new Job(null, -1, -1));
        encoder.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the file must still be finalised: wait for the encoder to finish its queue
      }
    }
    try {
      r.stop();
      r.release();
    } catch (FrameRecorder.Exception e) {
      throw new IOException(file + ": cannot finalise: " + e.getMessage(), e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    throwIfFailed();
  }
}
