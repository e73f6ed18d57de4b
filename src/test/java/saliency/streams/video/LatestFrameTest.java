package saliency.streams.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import saliency.model.image.RgbImage;
import saliency.model.video.VideoFrame;

/** The newest-frame holder of the live view: viewers skip to the newest frame, wait for a newer one, see the end. */
class LatestFrameTest {
  private static FrameResult result(long i) {
    return new FrameResult(new VideoFrame(i, i * 40, new RgbImage(2, 2, new float[12])),
        new FrameAnswer(null, new double[4]), 0);
  }

  private static Optional<LatestFrame.Published> now(java.util.concurrent.CompletionStage<
      Optional<LatestFrame.Published>> s) {
    CompletableFuture<Optional<LatestFrame.Published>> f = s.toCompletableFuture();
    assertTrue(f.isDone(), "completed at once");
    return f.join();
  }

  @Test
  void aViewerGetsTheNewestFrameAndSkipsTheOnesItWasTooSlowFor() {
    LatestFrame l = new LatestFrame();
    assertTrue(l.latest().isEmpty());
    FrameResult r3 = result(3);
    l.write(result(1));
    l.write(result(2));
    l.write(r3);
    LatestFrame.Published p = now(l.next(0)).orElseThrow();
    assertEquals(3, p.version());
    assertSame(r3, p.result());
    assertEquals(3, now(l.next(1)).orElseThrow().version());
  }

  @Test
  void aViewerThatHasTheNewestWaitsForTheNextOne() {
    LatestFrame l = new LatestFrame();
    l.write(result(0));
    CompletableFuture<Optional<LatestFrame.Published>> waiting = l.next(1).toCompletableFuture();
    assertFalse(waiting.isDone());
    FrameResult r1 = result(1);
    l.write(r1);
    assertTrue(waiting.isDone());
    assertSame(r1, waiting.join().orElseThrow().result());
    assertEquals(2, waiting.join().orElseThrow().version());
  }

  @Test
  void theEndGivesTheLastUnseenFrameThenNothing() {
    LatestFrame l = new LatestFrame();
    CompletableFuture<Optional<LatestFrame.Published>> waiting = l.next(0).toCompletableFuture();
    l.write(result(0));
    l.write(result(1));
    CompletableFuture<Optional<LatestFrame.Published>> waitingAtTheEnd = l.next(2).toCompletableFuture();
    l.close();
    l.close();
    assertTrue(l.ended());
    assertEquals(1, waiting.join().orElseThrow().version());
    assertEquals(Optional.empty(), waitingAtTheEnd.join());
    assertEquals(2, now(l.next(1)).orElseThrow().version());
    assertEquals(Optional.empty(), now(l.next(2)));
    assertThrows(IllegalStateException.class, () -> l.write(result(2)));
  }
}
