package saliency.model.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The frames of several sources one after the other, each source read {@code loops} times, renumbered as one video:
 * frame {@code i} of the whole gets index {@code i} and timestamp {@code round(i * 1000 / rate)} at the first source's
 * rate. Owns the source open at the moment (closed when it ends and on close); one thread reads it at a time.
 */
public final class LoopedReader implements FrameReader {
  private final List<Supplier<FrameReader>> sources;
  private final int loops;
  private final List<String> skips = new ArrayList<>();
  private FrameReader current;
  private int opened;
  private double rate;
  private long count;

  /** Reads {@code sources} in order, the whole list {@code loops} times; the first source is opened at once. */
  public LoopedReader(List<Supplier<FrameReader>> sources, int loops) {
    this.sources = List.copyOf(Objects.requireNonNull(sources, "sources"));
    if (this.sources.isEmpty() || loops < 1) {
      throw new IllegalArgumentException("need a source and loops >= 1: " + this.sources.size() + ", " + loops);
    }
    this.loops = loops;
    this.current = openNext();
    this.rate = current.frameRate();
  }

  private FrameReader openNext() {
    FrameReader r = Objects.requireNonNull(sources.get(opened % sources.size()).get(), "reader");
    opened++;
    return r;
  }

  @Override
  public Optional<VideoFrame> next() {
    while (current != null) {
      Optional<VideoFrame> f = current.next();
      if (f.isPresent()) {
        long i = count++;
        return Optional.of(new VideoFrame(i, Math.round(i * 1000.0 / rate), f.get().image()));
      }
      for (String s : current.skips()) {
        skips.add(current.describe() + ": " + s);
      }
      current.close();
      current = opened < sources.size() * loops ? openNext() : null;
    }
    return Optional.empty();
  }

  @Override
  public double frameRate() {
    return rate;
  }

  @Override
  public List<String> skips() {
    return List.copyOf(skips);
  }

  @Override
  public String describe() {
    return sources.size() + " sources x " + loops;
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
