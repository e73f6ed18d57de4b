package saliency.model.image;

import java.nio.file.Path;

/** An image whose decoder warned or whose data ended early (e.g. a cut-off JPEG); immutable. */
public final class TruncatedImageException extends BadInputException {
  private static final long serialVersionUID = 1L;

  TruncatedImageException(Path file, String reason) {
    super(file, reason);
  }
}
