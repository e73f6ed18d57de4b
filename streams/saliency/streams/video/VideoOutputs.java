package saliency.streams.video;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import saliency.model.image.ImageIo;

/**
 * Writes a serving stream's outputs under a folder: {@code masks/NNNNN.png} (the frame index, 8-bit gray, frame size)
 * and {@code answers.jsonl}, one whole line per frame flushed as it is written,
 * {@code {"frame":…,"pts_ms":…,"answer":"…","version":…,"latency_ms":…}} ({@code answer} left out when the
 * predictor gives no text, {@code version}, the policy version that answered, when no versioned policy did); each
 * output optional. Not thread-safe: the serving stream calls it from one stage.
 */
public final class VideoOutputs implements FrameSink {
  /** The masks folder under the output folder. */
  public static final String MASKS = "masks";
  /** The answers file under the output folder. */
  public static final String ANSWERS = "answers.jsonl";

  private final Path masks;
  private final BufferedWriter answers;

  private VideoOutputs(Path masks, BufferedWriter answers) {
    this.masks = masks;
    this.answers = answers;
  }

  /**
   * Opens the outputs under {@code dir} (created when missing): masks when {@code writeMasks}, the answers file
   * (replaced if present) when {@code writeAnswers}.
   */
  public static VideoOutputs open(Path dir, boolean writeMasks, boolean writeAnswers) throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException(dir + " is a file, not a folder");
    }
    Files.createDirectories(dir);
    Path m = null;
    if (writeMasks) {
      m = Files.createDirectories(dir.resolve(MASKS));
    }
    BufferedWriter w = !writeAnswers ? null : Files.newBufferedWriter(dir.resolve(ANSWERS), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    return new VideoOutputs(m, w);
  }

  /** The file name of frame {@code index}'s mask. */
  public static String maskName(long index) {
    return String.format(Locale.ROOT, "%05d.png", index);
  }

  /** True when masks are written. */
  @Override
  public boolean usesMaps() {
    return masks != null;
  }

  @Override
  public void write(FrameResult r) throws IOException {
    if (masks != null) {
      ImageIo.writeGray8(masks.resolve(maskName(r.frame().index())), r.answer().map(), r.frame().width(),
          r.frame().height());
    }
    if (answers != null) {
      answers.write(jsonLine(r));
      answers.write('\n');
      answers.flush();
    }
  }

  /** The JSON object of one answered frame (no line break). */
  static String jsonLine(FrameResult r) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"frame\":").append(r.frame().index()).append(",\"pts_ms\":").append(r.frame().ptsMs());
    if (r.answer().answer() != null) {
      sb.append(",\"answer\":");
      quote(sb, r.answer().answer());
    }
    if (r.answer().version() != FrameAnswer.NO_VERSION) {
      sb.append(",\"version\":").append(r.answer().version());
    }
    sb.append(",\"latency_ms\":").append(String.format(Locale.ROOT, "%.2f", r.latencyNanos() / 1e6)).append('}');
    return sb.toString();
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  @Override
  public void close() throws IOException {
    if (answers != null) {
      answers.close();
    }
  }
}
