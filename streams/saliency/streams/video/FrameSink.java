package saliency.streams.video;

/** Where the serving stream hands each answered frame (files, a live view); called from one thread at a time. */
public interface FrameSink extends AutoCloseable {
  /** Writes one answered frame; may block. */
  void write(FrameResult result) throws Exception;

  /** Flushes and releases what it holds; whatever was written stays valid. */
  @Override
  void close() throws Exception;

  /** A sink that writes nothing. */
  static FrameSink none() {
    return new FrameSink() {
      @Override
      public void write(FrameResult result) {}

      @Override
      public void close() {}
    };
  }
}
