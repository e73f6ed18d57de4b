package saliency.model.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file or folder that cannot be used as input (unreadable, wrong size, not binary, missing); immutable,
 * names the file and the reason. Subclasses name particular problems ({@link TruncatedImageException},
 * {@link ImageTooLargeException}).
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String reason;

  public BadInputException(Path file, String reason) {
    this(file, reason, null);
  }

  public BadInputException(Path file, String reason, Throwable cause) {
    super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(reason, "reason"), cause);
    this.file = file;
    this.reason = reason;
  }

  /** The offending file or folder. */
  public Path file() {
    return file;
  }

  /** Why it cannot be used, without the file name. */
  public String reason() {
    return reason;
  }
}
