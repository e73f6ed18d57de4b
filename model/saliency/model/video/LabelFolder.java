package saliency.model.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import saliency.model.geometry.Mask;
import saliency.model.image.BadInputException;
import saliency.model.image.ImageIo;

/**
 * Ground-truth masks in a folder of {@code .png} files: frame {@code i}'s mask is {@code STEM.png} when the source
 * names its frames (a frame folder) and the folder has the mask of the first frame's stem, otherwise the i-th
 * {@code .png} in file-name order among those whose name starts with the prefix (so {@code --labels-prefix blackswan_} picks one DAVIS sequence out of a shared
 * masks folder). A missing, unreadable or wrongly sized mask is a gap ({@link #label} is empty), read lazily.
 */
public final class LabelFolder implements FrameLabels {
  private final Path dir;
  private final String prefix;
  private final List<Path> files;
  private final LongFunction<String> stems;
  private final boolean byStem;

  private LabelFolder(Path dir, String prefix, List<Path> files, LongFunction<String> stems) {
    this.dir = dir;
    this.prefix = prefix;
    this.files = files;
    this.stems = stems;
    String first = stems.apply(0);
    this.byStem = first != null && Files.isRegularFile(dir.resolve(first + ".png"));
  }

  /** Whether masks are matched by the frame's file stem (else by index). */
  public boolean byStem() {
    return byStem;
  }

  /**
   * Lists the masks of {@code dir} starting with {@code prefix} ("" for all); {@code stems} names frame {@code i}'s
   * file stem, or returns null (a source without names: match by index only).
   *
   * @throws BadInputException when {@code dir} is not a folder or holds no matching {@code .png}
   */
  public static LabelFolder open(Path dir, String prefix, LongFunction<String> stems) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(stems, "stems");
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir, Files.exists(dir) ? "labels: not a folder" : "labels: no such folder");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new BadInputException(dir, "labels: cannot list: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new BadInputException(dir, "labels: no .png mask" + (prefix.isEmpty() ? "" : " starting with " + prefix));
    }
    return new LabelFolder(dir, prefix, files, stems);
  }

  /** Masks found (after the prefix filter). */
  public int size() {
    return files.size();
  }

  /** The mask file of {@code frame}, or empty when there is none. */
  Optional<Path> fileOf(VideoFrame frame) {
    if (byStem) {
      String stem = stems.apply(frame.index());
      Path p = stem == null ? null : dir.resolve(stem + ".png");
      return p != null && Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
    return frame.index() < files.size() ? Optional.of(files.get((int) frame.index())) : Optional.empty();
  }

  @Override
  public Optional<Mask> label(VideoFrame frame) {
    Optional<Path> f = fileOf(frame);
    if (f.isEmpty()) {
      return Optional.empty();
    }
    try {
      Mask m = ImageIo.readMask(f.get());
      return m.width() == frame.width() && m.height() == frame.height() ? Optional.of(m) : Optional.empty();
    } catch (BadInputException e) {
      return Optional.empty();
    }
  }

  @Override
  public String describe() {
    return dir + (byStem ? " by file stem" : " by index") + (prefix.isEmpty() ? "" : " (" + prefix + "*)");
  }
}
