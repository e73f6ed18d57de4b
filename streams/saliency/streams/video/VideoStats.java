package saliency.streams.video;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Thread-safe counters of a serving stream: frames that entered it, frames dropped at the entry, frames answered and
 * written, and two fixed-size latency histograms (0.1 ms buckets up to 10 s; entry to answer ready, entry to outputs
 * written), so memory stays flat however long the stream runs.
 */
public final class VideoStats {
  private static final int BUCKETS = 100_000;
  private static final long BUCKET_NANOS = 100_000;

  private final LongSupplier nanoClock;
  private final long startNanos;
  private final AtomicLong entered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Histogram answered = new Histogram();
  private final Histogram written = new Histogram();

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

  /** A latency histogram: a count and 0.1 ms buckets up to 10 s (the last bucket takes everything longer). */
  private static final class Histogram {
    private final AtomicLong count = new AtomicLong();
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

    void add(long nanos) {
      count.incrementAndGet();
      buckets.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, nanos / BUCKET_NANOS)));
    }

    long count() {
      return count.get();
    }

    /** The latency (ms, bucket's upper edge) at or below which a share {@code q} of the values lie; NaN if none. */
    double percentile(double q) {
      long n = count.get();
      if (n == 0) {
        return Double.NaN;
      }
      long rank = Math.max(1, (long) Math.ceil(q * n));
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += buckets.get(i);
        if (seen >= rank) {
          return (i + 1) * BUCKET_NANOS / 1e6;
        }
      }
      return BUCKETS * BUCKET_NANOS / 1e6;
    }
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
