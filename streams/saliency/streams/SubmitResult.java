package saliency.streams;

/** How the learner slices took one gradient: slices that accepted, dropped it as stale, or rejected it; immutable. */
public record SubmitResult(int accepted, int stale, int rejected) {
  public static final SubmitResult NONE = new SubmitResult(0, 0, 0);

  public SubmitResult plus(SubmitResult o) {
    return new SubmitResult(accepted + o.accepted, stale + o.stale, rejected + o.rejected);
  }
}
