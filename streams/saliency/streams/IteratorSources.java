package saliency.streams;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

/** Adapters from plain iterators (synthetic generator, looping dataset) to sources; stateless. */
public final class IteratorSources {
  private IteratorSources() {}

  /**
   * A source that pulls from a fresh iterator per materialization, one element per demand (so a slow graph slows the
   * iterator). An endless iterator gives an endless source.
   */
  public static <X> Source<X, NotUsed> fromIterator(Supplier<? extends Iterator<X>> iterators) {
    Objects.requireNonNull(iterators, "iterators");
    return Source.<X>fromIterator(() -> Objects.requireNonNull(iterators.get(), "iterator")).named("iterator-source");
  }

  /** As {@link #fromIterator(Supplier)}, with {@code next()} run on {@code dispatcher} (for iterators that read files). */
  public static <X> Source<X, NotUsed> fromBlockingIterator(Supplier<? extends Iterator<X>> iterators,
      String dispatcher) {
    return fromIterator(iterators).withAttributes(ActorAttributes.dispatcher(dispatcher)).async();
  }
}
