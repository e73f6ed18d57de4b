package saliency.actors.settings;

/**
 * How the flat parameter vector of P floats is cut into learner slices; immutable.
 *
 * <p>Slice {@code i} covers {@code [offset(i), offset(i) + length(i))}; lengths differ by at most one. The slice
 * count is the configured {@code saliency.learner.slices}, raised to {@code ceil(P / maxFloatsPerSlice)} when a slice
 * of the configured count would not fit one Artery frame, and lowered to P when P is smaller.
 *
 * @param parameterCount P, the length of the flat parameter vector
 * @param slices N, the number of slices (entities)
 */
public record SliceLayout(int parameterCount, int slices) {
  public SliceLayout {
    if (parameterCount < 1) {
      throw new IllegalArgumentException("parameterCount must be >= 1: " + parameterCount);
    }
    if (slices < 1 || slices > parameterCount) {
      throw new IllegalArgumentException("slices must be in [1, " + parameterCount + "]: " + slices);
    }
  }

  /**
   * The layout for P parameters: {@code max(requestedSlices, ceil(P / maxFloatsPerSlice))} slices, at most P.
   *
   * @param maxFloatsPerSlice the most floats one slice message may carry (see
   *     {@code SaliencySettings#maxFloatsPerSlice()})
   */
  public static SliceLayout of(int parameterCount, int requestedSlices, int maxFloatsPerSlice) {
    if (requestedSlices < 1 || maxFloatsPerSlice < 1) {
      throw new IllegalArgumentException(
          "requestedSlices and maxFloatsPerSlice must be >= 1: " + requestedSlices + ", " + maxFloatsPerSlice);
    }
    long needed = ((long) parameterCount + maxFloatsPerSlice - 1) / maxFloatsPerSlice;
    int n = (int) Math.min(parameterCount, Math.max(requestedSlices, needed));
    return new SliceLayout(parameterCount, n);
  }

  public int offset(int slice) {
    check(slice);
    int base = parameterCount / slices;
    int extra = parameterCount % slices;
    return slice * base + Math.min(slice, extra);
  }

  public int length(int slice) {
    check(slice);
    int base = parameterCount / slices;
    return base + (slice < parameterCount % slices ? 1 : 0);
  }

  /** The longest slice's length. */
  public int maxLength() {
    return length(0);
  }

  /** A copy of slice {@code slice} of {@code flat}. */
  public float[] cut(float[] flat, int slice) {
    if (flat.length != parameterCount) {
      throw new IllegalArgumentException("flat vector has " + flat.length + " floats, layout expects " + parameterCount);
    }
    int off = offset(slice);
    float[] out = new float[length(slice)];
    System.arraycopy(flat, off, out, 0, out.length);
    return out;
  }

  private void check(int slice) {
    if (slice < 0 || slice >= slices) {
      throw new IllegalArgumentException("slice index " + slice + " outside [0, " + slices + ")");
    }
  }
}
