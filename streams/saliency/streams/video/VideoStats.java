package saliency.streams.video;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Thread-safe counters of a serving stream: frames that entered it, frames dropped at the entry, frames answered, and
 * a fixed-size latency histogram (0.1 ms buckets up to 10 s), so memory stays flat however long the stream runs.
 */
public final class VideoStats {
  private static final int BUCKETS = 100_000;
  private static final long BUCKET_NANOS = 100_000;

  private final LongSupplier nanoClock;
  private final long startNanos;
  private final AtomicLong entered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLongArray latency = new AtomicLongArray(BUCKETS);

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
    answered.incrementAndGet();
    latency.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, latencyNanos / BUCKET_NANOS)));
  }

  /** The figures so far. */
  public Snapshot snapshot() {
    long n = answered.get();
    double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
    return new Snapshot(entered.get(), dropped.get(), n, seconds, percentile(n, 0.50), percentile(n, 0.99));
  }

  /** The latency (ms, bucket's upper edge) at or below which a share {@code q} of the answered frames lie; NaN if none. */
  private double percentile(long n, double q) {
    if (n == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += latency.get(i);
      if (seen >= rank) {
        return (i + 1) * BUCKET_NANOS / 1e6;
      }
    }
    return BUCKETS * BUCKET_NANOS / 1e6;
  }

  /**
   * Figures of a serving stream at one moment: frames entered, dropped at the entry and answered, seconds since the
   * start, and answer latency p50 / p99 in ms.
   */
  public record Snapshot(long entered, long dropped, long answered, double seconds, double p50Ms, double p99Ms) {
    /** Answered frames per second of wall clock. */
    public double framesPerSecond() {
      return seconds > 0 ? answered / seconds : 0;
    }

    /** One progress line. */
    public String line() {
      return String.format(Locale.ROOT, "%d frames, %.1f frames/s, latency p50 %s ms p99 %s ms, %d dropped",
          answered, framesPerSecond(), ms(p50Ms), ms(p99Ms), dropped);
    }

    private static String ms(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
  }
}
