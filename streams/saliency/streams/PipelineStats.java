package saliency.streams;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters of one running training graph; thread-safe, owned by the graph that increments them. */
public final class PipelineStats {
  final AtomicLong pulled = new AtomicLong();
  final AtomicLong samples = new AtomicLong();
  final AtomicLong skippedUnits = new AtomicLong();
  final AtomicLong incompleteGroups = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong gradients = new AtomicLong();
  final AtomicLong trainedSamples = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong stale = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicReference<String> lastFailure = new AtomicReference<>("");

  /** A consistent-enough copy of the counters. */
  public record Snapshot(
      long pulled,
      long samples,
      long skippedUnits,
      long incompleteGroups,
      long failures,
      long gradients,
      long trainedSamples,
      long slicesAccepted,
      long slicesStale,
      long slicesRejected,
      String lastFailure) {}

  public Snapshot snapshot() {
    return new Snapshot(pulled.get(), samples.get(), skippedUnits.get(), incompleteGroups.get(), failures.get(),
        gradients.get(), trainedSamples.get(), accepted.get(), stale.get(), rejected.get(), lastFailure.get());
  }

  /** Counts a dropped element and remembers which stage dropped it and why. */
  void failed(String stage, Throwable cause) {
    failures.incrementAndGet();
    lastFailure.set(stage + ": " + cause);
  }

  /** Inputs pulled from the source. */
  public long pulled() {
    return pulled.get();
  }

  /**
   * Samples whose gradient changed the weights (at least one learner slice applied it); samples of a gradient every
   * slice dropped as stale or rejected are not counted, so samples/s is what the learner took.
   */
  public long trainedSamples() {
    return trainedSamples.get();
  }
}
