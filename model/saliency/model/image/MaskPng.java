package saliency.model.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import saliency.model.geometry.Mask;

/** Lists and reads the mask PNGs of a folder; stateless. */
public final class MaskPng {
  private MaskPng() {}

  /** Reads one mask through the project's image reader (8-bit, 1-bit or colour; on where > 127). */
  public static Mask read(Path file) {
    return saliency.model.image.ImageIo.readMask(file);
  }

  /** The {@code .png} files of a folder, sorted by name. */
  public static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("not a folder: " + dir);
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = new ArrayList<>(
          s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".png")).sorted().toList());
      return files;
    }
  }
}
