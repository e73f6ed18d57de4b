package saliency.streams;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A thread-safe latency histogram of fixed size (0.1 ms buckets up to 10 s, the last bucket taking everything
 * longer), so memory stays flat however many values it counts; its owner is whoever created it, and any thread may
 * add to it.
 */
public final class LatencyHistogram {
  private static final int BUCKETS = 100_000;
  private static final long BUCKET_NANOS = 100_000;

  private final AtomicLong count = new AtomicLong();
  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

  /** Counts one latency of {@code nanos} (negative values count as 0). */
  public void add(long nanos) {
    count.incrementAndGet();
    buckets.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, nanos / BUCKET_NANOS)));
  }

  /** The number of latencies counted. */
  public long count() {
    return count.get();
  }

  /** The latency (ms, bucket's upper edge) at or below which a share {@code q} of the values lie; NaN if none. */
  public double percentile(double q) {
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
