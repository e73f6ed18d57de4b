package saliency.streams.video;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import saliency.streams.LatencyHistogram;

/**
 * Thread-safe counters of a serving stream: frames that entered it, frames dropped at the entry, frames answered and
 * written, and two {@link LatencyHistogram}s (entry to answer ready, entry to outputs written), so memory stays flat however long the stream runs.
 */
public final class VideoStats {
  private final LongSupplier nanoClock;
  private final long startNanos;
  private final AtomicLong entered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final LatencyHistogram answered = new LatencyHistogram();
  private final LatencyHistogram written = new LatencyHistogram();

  /** Counters starting now on {@code nanoClock} (frames/s counts from here). */
  public VideoStats(LongSupplier nanoClock) {
    this.nanoClock = java.util.Objects.requireNonNull(nanoClock, "nanoClock");
    this.startNanos = nanoClock.getAsLong();
  }

  public VideoStats() {
    this(System::nanoTime);
  }

  long now() {
    return nanoClock.getAsLong();
  }

  void entered() {
    entered.incrementAndGet();
  }

  void dropped() {
    dropped.incrementAndGet();
  }

  void answered(long latencyNanos) {
    answered.add(latencyNanos);
  }

  void written(long latencyNanos) {
    written.add(latencyNanos);
  }

  /** The figures so far. */
  public Snapshot snapshot() {
    long n = answered.count();
    double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
    return new Snapshot(entered.get(), dropped.get(), n, seconds, answered.percentile(0.50),
        answered.percentile(0.99), written.count(), written.percentile(0.50), written.percentile(0.99));
  }

  /**
   * Figures of a serving stream at one moment: frames entered, dropped at the entry and answered, seconds since the
   * start, answer latency p50 / p99 in ms, frames written and the latency from entry to outputs written p50 / p99.
   */
  public record Snapshot(long entered, long dropped, long answered, double seconds, double p50Ms, double p99Ms,
      long written, double writtenP50Ms, double writtenP99Ms) {
    /** Answered frames per second of wall clock. */
    public double framesPerSecond() {
      return seconds > 0 ? answered / seconds : 0;
    }

    /** One progress line. */
    public String line() {
      return String.format(Locale.ROOT, "%d frames, %.1f frames/s, latency p50 %s ms p99 %s ms, %d dropped",
          answered, framesPerSecond(), ms(p50Ms), ms(p99Ms), dropped);
    }

    static String ms(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
  }
}
