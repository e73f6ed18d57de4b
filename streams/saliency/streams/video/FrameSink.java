package saliency.streams.video;

import saliency.model.video.OverlayWriter;
import saliency.model.video.VideoScores;

/** Where the serving stream hands each answered frame (files, a live view); called from one thread at a time. */
public interface FrameSink extends AutoCloseable {
  /** Writes one answered frame; may block. */
  void write(FrameResult result) throws Exception;

  /**
   * True when {@link #write} reads the answers' maps (the serving stream then draws each map in a stage of its own,
   * before the sink); a sink that writes only the answers' text says false and no map is drawn for it.
   */
  default boolean usesMaps() {
    return true;
  }

  /** Flushes and releases what it holds; whatever was written stays valid. */
  @Override
  void close() throws Exception;

  /** A sink that scores each frame's map against its label in {@code scores} (writes nothing). */
  static FrameSink scoring(VideoScores scores) {
    java.util.Objects.requireNonNull(scores, "scores");
    return new FrameSink() {
      @Override
      public void write(FrameResult result) {
        scores.add(result.frame(), result.answer().map());
      }

      @Override
      public void close() {}
    };
  }

  /** A sink that draws each frame's mask on it into {@code overlay}; closing finalises the MP4. */
  static FrameSink overlay(OverlayWriter overlay) {
    java.util.Objects.requireNonNull(overlay, "overlay");
    return new FrameSink() {
      @Override
      public void write(FrameResult result) throws Exception {
        overlay.write(result.frame(), result.answer().map());
      }

      @Override
      public void close() throws Exception {
        overlay.close();
      }
    };
  }

  /** The sinks in order: each frame written to each; closing closes all, the first failure thrown. */
  static FrameSink all(java.util.List<FrameSink> sinks) {
    java.util.List<FrameSink> list = java.util.List.copyOf(sinks);
    boolean maps = list.stream().anyMatch(FrameSink::usesMaps);
    return new FrameSink() {
      @Override
      public boolean usesMaps() {
        return maps;
      }

      @Override
      public void write(FrameResult result) throws Exception {
        for (FrameSink s : list) {
          s.write(result);
        }
      }

      @Override
      public void close() throws Exception {
        Exception first = null;
        for (FrameSink s : list) {
          try {
            s.close();
          } catch (Exception e) {
            if (first == null) {
              first = e;
            } else {
              first.addSuppressed(e);
            }
          }
        }
        if (first != null) {
          throw first;
        }
      }
    };
  }

  /** A sink that writes nothing. */
  static FrameSink none() {
    return new FrameSink() {
      @Override
      public boolean usesMaps() {
        return false;
      }

      @Override
      public void write(FrameResult result) {}

      @Override
      public void close() {}
    };
  }
}
