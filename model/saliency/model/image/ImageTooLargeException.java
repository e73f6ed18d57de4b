package saliency.model.image;

import java.nio.file.Path;

/** An image whose header declares more than {@link ImageIo#MAX_PIXELS} pixels; refused before decoding; immutable. */
public final class ImageTooLargeException extends BadInputException {
  private static final long serialVersionUID = 1L;

  private final int width;
  private final int height;

  ImageTooLargeException(Path file, int width, int height) {
    super(file, "image is " + width + "x" + height + " = " + ((long) width * height) + " pixels, over the limit of "
        + ImageIo.MAX_PIXELS + " (ImageIo.MAX_PIXELS); refused without decoding");
    this.width = width;
    this.height = height;
  }

  /** The width the header declares. */
  public int width() {
    return width;
  }

  /** The height the header declares. */
  public int height() {
    return height;
  }
}
