package saliency.streams;

import java.util.Arrays;
import java.util.Objects;

/**
 * The versions of the weights a policy held, one per learner slice; immutable (the array is copied in and out).
 *
 * <p>Each learner slice counts its own updates, so a policy's weights are identified by the vector of slice versions
 * it last swapped in. A gradient carries the vector of the samples it was computed from, and slice {@code i} judges
 * staleness against element {@code i} only. {@link #min()} is the scalar summary used in logs and metrics.
 */
public record PolicyVersion(long[] sliceVersions) {
  public PolicyVersion {
    Objects.requireNonNull(sliceVersions, "sliceVersions");
    sliceVersions = sliceVersions.clone();
    for (long v : sliceVersions) {
      if (v < 0) {
        throw new IllegalArgumentException("slice version must be >= 0: " + Arrays.toString(sliceVersions));
      }
    }
  }

  /** All {@code slices} slices at version 0. */
  public static PolicyVersion initial(int slices) {
    return new PolicyVersion(new long[slices]);
  }

  @Override
  public long[] sliceVersions() {
    return sliceVersions.clone();
  }

  public int slices() {
    return sliceVersions.length;
  }

  /** Version of slice {@code i}. */
  public long slice(int i) {
    return sliceVersions[i];
  }

  /** Smallest slice version (0 for no slices). */
  public long min() {
    long m = Long.MAX_VALUE;
    for (long v : sliceVersions) {
      m = Math.min(m, v);
    }
    return sliceVersions.length == 0 ? 0 : m;
  }

  /** Element-wise minimum: the oldest weights either version could stand for. */
  public PolicyVersion elementwiseMin(PolicyVersion other) {
    if (other.slices() != slices()) {
      throw new IllegalArgumentException("slice counts differ: " + slices() + " vs " + other.slices());
    }
    long[] out = new long[sliceVersions.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(sliceVersions[i], other.sliceVersions[i]);
    }
    return new PolicyVersion(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyVersion p && Arrays.equals(sliceVersions, p.sliceVersions);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sliceVersions);
  }

  @Override
  public String toString() {
    return "PolicyVersion" + Arrays.toString(sliceVersions);
  }
}
