package saliency.model.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import saliency.model.image.BadInputException;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;

/**
 * Reads a folder of JPEG/PNG frames in file-name order through {@link ImageIo}; frame {@code i} (the i-th image file,
 * unreadable ones included) has timestamp {@code round(i * 1000 / fps)} ms. An unreadable file is a counted skip.
 */
public final class FrameFolderReader implements FrameReader {
  private final Path dir;
  private final double fps;
  private final List<Path> files;
  private final List<String> skips = new CopyOnWriteArrayList<>();
  private int position;

  private FrameFolderReader(Path dir, double fps, List<Path> files) {
    this.dir = dir;
    this.fps = fps;
    this.files = files;
  }

  /**
   * Lists the image files ({@code .jpg}, {@code .jpeg}, {@code .png}, any case) of {@code dir}, sorted by file name.
   *
   * @throws BadInputException when {@code dir} is not a readable folder or holds no image file
   */
  public static FrameFolderReader open(Path dir, double fps) {
    Objects.requireNonNull(dir, "dir");
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir, Files.exists(dir) ? "not a folder" : "no such folder");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).filter(FrameFolderReader::isImageName)
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new BadInputException(dir, "cannot list: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new BadInputException(dir, "no .jpg, .jpeg or .png frame in the folder");
    }
    return new FrameFolderReader(dir, fps, files);
  }

  static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
  }

  /** Image files in the folder (the frames to read, unreadable ones included). */
  public int size() {
    return files.size();
  }

  /** The file-name stem (name without extension) of frame {@code index}, or null past the end. */
  public String stem(long index) {
    if (index < 0 || index >= files.size()) {
      return null;
    }
    String n = files.get((int) index).getFileName().toString();
    return n.substring(0, n.lastIndexOf('.'));
  }

  @Override
  public Optional<VideoFrame> next() {
    while (position < files.size()) {
      int i = position++;
      Path f = files.get(i);
      try {
        RgbImage img = ImageIo.readRgb(f);
        return Optional.of(new VideoFrame(i, Math.round(i * 1000.0 / fps), img));
      } catch (BadInputException e) {
        skips.add("frame " + i + " (" + f.getFileName() + "): " + e.reason());
      }
    }
    return Optional.empty();
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
    return dir.toString();
  }

  @Override
  public void close() {
    position = files.size();
  }
}
