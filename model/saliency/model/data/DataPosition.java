package saliency.model.data;

/**
 * A position in an epoch-looping data order: the element at {@code index} of the shuffled order of
 * {@code epoch}; an immutable value, saved in checkpoints to resume from the same place.
 *
 * @param epoch the epoch, from 0
 * @param index the index within the epoch's order, from 0
 */
public record DataPosition(long epoch, int index) {
  /** The very beginning. */
  public static final DataPosition START = new DataPosition(0, 0);

  public DataPosition {
    if (epoch < 0 || index < 0) {
      throw new IllegalArgumentException("data position must be non-negative: epoch " + epoch + ", index " + index);
    }
  }
}
