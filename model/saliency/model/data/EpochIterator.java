package saliency.model.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Loops over a fixed list forever, in an order reshuffled every epoch; the order of epoch {@code e} is a pure
 * function of {@code (seed, e)}, so the iterator resumes exactly from a {@link DataPosition}. It owns its cursor
 * and the current epoch's order; not thread-safe.
 *
 * @param <T> element type
 */
public final class EpochIterator<T> implements Iterator<T> {
  private final List<T> items;
  private final long seed;
  private long epoch;
  private int index;
  private int[] order;

  /** Starts at {@code start}; {@code items} must not be empty. */
  public EpochIterator(List<T> items, long seed, DataPosition start) {
    this.items = List.copyOf(Objects.requireNonNull(items, "items"));
    Objects.requireNonNull(start, "start");
    if (this.items.isEmpty()) {
      throw new IllegalArgumentException("cannot iterate over an empty list");
    }
    if (start.index() > this.items.size()) {
      throw new IllegalArgumentException(
          "start index " + start.index() + " beyond the epoch length " + this.items.size());
    }
    this.seed = seed;
    this.epoch = start.epoch();
    this.index = start.index();
    this.order = orderOf(epoch);
  }

  public EpochIterator(List<T> items, long seed) {
    this(items, seed, DataPosition.START);
  }

  /** Always true: the iterator loops over epochs. */
  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public T next() {
    if (index >= items.size()) {
      epoch++;
      index = 0;
      order = orderOf(epoch);
    }
    return items.get(order[index++]);
  }

  /** The position of the element the next {@link #next()} returns (normalized to the next epoch at its end). */
  public DataPosition position() {
    return index >= items.size() ? new DataPosition(epoch + 1, 0) : new DataPosition(epoch, index);
  }

  /** Number of elements per epoch. */
  public int epochLength() {
    return items.size();
  }

  /** The shuffled order of {@code epoch} as a list (for inspection). */
  public List<T> epochOrder(long epoch) {
    List<T> out = new ArrayList<>(items.size());
    for (int i : orderOf(epoch)) {
      out.add(items.get(i));
    }
    return out;
  }

  private int[] orderOf(long e) {
    int n = items.size();
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(SyntheticScenes.mix(seed ^ SyntheticScenes.mix(e + 1)));
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
