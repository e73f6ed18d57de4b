package saliency.streams;

/** Turns a completion into its segmentation (e.g. parse the text, rasterize polygons); must not throw on bad text. */
@FunctionalInterface
public interface Segmenter<X, S> {
  S segment(X input, Completion completion);
}
