package saliency.streams.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The newest answered frame of a serving stream, as a sink: the stream's write stage replaces it with each frame (one
 * reference swap, never a wait), and any number of viewers read it at their own pace, each skipping the frames it was
 * too slow for, so a slow or vanished viewer never holds the stream back. Closing it marks the end of the stream.
 * Thread-safe; it owns the newest frame with its version and the futures of the viewers waiting for a newer one.
 */
public final class LatestFrame implements FrameSink {
  /** One published frame; versions count from 1 in publishing order. */
  public record Published(long version, FrameResult result) {
    public Published {
      Objects.requireNonNull(result, "result");
    }
  }

  private Published latest;
  private boolean ended;
  private List<CompletableFuture<Optional<Published>>> waiting = new ArrayList<>();

  /** Publishes {@code result} as the newest frame and wakes the viewers waiting for one. */
  @Override
  public void write(FrameResult result) {
    Objects.requireNonNull(result, "result");
    List<CompletableFuture<Optional<Published>>> wake;
    Published p;
    synchronized (this) {
      if (ended) {
        throw new IllegalStateException("the stream of this frame holder has ended");
      }
      p = new Published(latest == null ? 1 : latest.version() + 1, result);
      latest = p;
      wake = takeWaiting();
    }
    wake.forEach(f -> f.complete(Optional.of(p)));
  }

  /** Marks the end of the stream (idempotent): viewers get the last frame they have not had, then nothing. */
  @Override
  public void close() {
    List<CompletableFuture<Optional<Published>>> wake;
    synchronized (this) {
      ended = true;
      wake = takeWaiting();
    }
    wake.forEach(f -> f.complete(Optional.empty()));
  }

  /** The newest frame, empty before the first. */
  public synchronized Optional<Published> latest() {
    return Optional.ofNullable(latest);
  }

  /** Whether the stream has ended. */
  public synchronized boolean ended() {
    return ended;
  }

  /**
   * The newest frame with a version above {@code after}: at once when there is one, else when the next is published;
   * empty once the stream has ended with nothing newer. The future may complete on the publishing thread, so a viewer
   * attaches its work with an {@code ...Async} method on an executor of its own.
   */
  public CompletionStage<Optional<Published>> next(long after) {
    synchronized (this) {
      if (latest != null && latest.version() > after) {
        return CompletableFuture.completedFuture(Optional.of(latest));
      }
      if (ended) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      CompletableFuture<Optional<Published>> f = new CompletableFuture<>();
      waiting.add(f);
      return f;
    }
  }

  private List<CompletableFuture<Optional<Published>>> takeWaiting() {
    List<CompletableFuture<Optional<Published>>> w = waiting;
    waiting = new ArrayList<>();
    return w;
  }
}
