package saliency.model.tfjs;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the pretrained weights live: the repository's {@code weights/} folder, relative to the working directory,
 * unless the system property {@code saliency.weights} or the environment variable {@code SALIENCY_WEIGHTS} names
 * another folder; stateless.
 */
public final class WeightsLocation {
  /** System property naming the weights folder. */
  public static final String PROPERTY = "saliency.weights";
  /** Environment variable naming the weights folder (the property wins when both are set). */
  public static final String ENVIRONMENT = "SALIENCY_WEIGHTS";
  /** The default folder, relative to the working directory. */
  public static final String DEFAULT = "weights";

  private WeightsLocation() {}

  /** The weights folder: the property, else the environment variable, else {@code weights}. */
  public static Path root() {
    String p = System.getProperty(PROPERTY);
    if (p == null || p.isBlank()) {
      p = System.getenv(ENVIRONMENT);
    }
    return Path.of(p == null || p.isBlank() ? DEFAULT : p);
  }

  /**
   * {@code root/modelDir/file}, checked to exist.
   *
   * @throws NoSuchFileException naming the absolute path and how to point elsewhere
   */
  public static Path modelFile(Path root, String modelDir, String file) throws NoSuchFileException {
    Path p = root.resolve(modelDir).resolve(file);
    if (!Files.isRegularFile(p)) {
      throw new NoSuchFileException(p.toAbsolutePath().normalize().toString(), null,
          "pretrained model file missing; run from the repository root (which holds weights/), or set -D"
              + PROPERTY + "=DIR or " + ENVIRONMENT + "=DIR to the folder holding " + modelDir + "/");
    }
    return p;
  }
}
