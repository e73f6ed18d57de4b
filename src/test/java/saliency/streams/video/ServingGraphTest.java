package saliency.streams.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import saliency.actors.TestConfigs;
import saliency.model.image.RgbImage;
import saliency.model.video.Smoothing;
import saliency.model.video.VideoFrame;

class ServingGraphTest {
  static ActorSystem<Void> system;
  static ExecutorService blocking;

  @BeforeAll
  static void start() {
    system = TestConfigs.localSystem("serving-graph-test");
    blocking = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void stop() {
    blocking.shutdownNow();
    system.terminate();
  }

  static Source<VideoFrame, ?> frames(int n) {
    return Source.range(0, n - 1).map(i -> new VideoFrame(i, i * 5L, new RgbImage(4, 3, new float[4 * 3 * 3])));
  }

  /** A predictor that sleeps {@code millis} per frame (a model slower than the frame rate). */
  static FramePredictor sleeping(long millis) {
    return FramePredictor.on(blocking, f -> {
      Thread.sleep(millis);
      return new FrameAnswer("f" + f.index(), new double[f.width() * f.height()]);
    });
  }

  static List<FrameResult> run(int n, VideoSettings settings, FramePredictor predictor, VideoStats stats)
      throws Exception {
    return ServingGraph.serve(frames(n), settings, predictor, FrameSink.none(), stats, VideoSources.DISPATCHER)
        .runWith(Sink.seq(), system).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void realtimeDropsFramesAtTheEntryWhenThePredictorIsSlowAndCountsThem() throws Exception {
    VideoStats stats = new VideoStats();
    // 200 frames/s (5 ms apart) against a predictor that needs 30 ms per frame
    List<FrameResult> out = run(60, new VideoSettings(true, 200, 0, 2), sleeping(30), stats);
    VideoStats.Snapshot s = stats.snapshot();
    assertEquals(60, s.entered());
    assertTrue(s.dropped() > 0, "frames dropped: " + s.line());
    assertEquals(out.size(), s.answered());
    assertEquals(60, out.size() + s.dropped(), "answered + dropped = input: " + s.line());
    for (int i = 1; i < out.size(); i++) {
      assertTrue(out.get(i).frame().index() > out.get(i - 1).frame().index(), "answers stay in frame order");
    }
    assertEquals(59, out.get(out.size() - 1).frame().index(), "the last frame is answered");
    assertTrue(s.p50Ms() >= 30, "latency includes the predictor's 30 ms: " + s.line());
  }

  @Test
  void withoutRealtimeEveryFrameIsAnsweredInOrder() throws Exception {
    VideoStats stats = new VideoStats();
    List<FrameResult> out = run(20, new VideoSettings(false, 24, 0, 2), sleeping(2), stats);
    assertEquals(20, out.size());
    assertEquals(0, stats.snapshot().dropped());
    for (int i = 0; i < 20; i++) {
      assertEquals(i, out.get(i).frame().index());
      assertEquals("f" + i, out.get(i).answer().answer());
    }
  }

  @Test
  void maxFramesStopsTheSource() throws Exception {
    VideoStats stats = new VideoStats();
    List<FrameResult> out = run(20, new VideoSettings(false, 24, 7, 2), sleeping(0), stats);
    assertEquals(7, out.size());
    assertEquals(7, stats.snapshot().entered());
  }

  @Test
  void emaSmoothingAveragesTheMapsOverFramesAndRestartsWhenTheSizeChanges() throws Exception {
    // a stub predictor: frame i's map is i everywhere; frames 0..3 are 4x3, frame 4 is 2x2
    Source<VideoFrame, ?> frames = Source.range(0, 4).map(i -> new VideoFrame(i, i * 40L,
        i < 4 ? new RgbImage(4, 3, new float[4 * 3 * 3]) : new RgbImage(2, 2, new float[2 * 2 * 3])));
    FramePredictor stub = FramePredictor.on(blocking, f -> {
      double[] m = new double[f.width() * f.height()];
      java.util.Arrays.fill(m, f.index());
      return new FrameAnswer("f" + f.index(), m);
    });
    List<FrameResult> out = ServingGraph.serve(frames, new VideoSettings(false, 24, 0, 2, new Smoothing(Smoothing.Kind.EMA, 0.5)), stub,
            FrameSink.none(), new VideoStats(), VideoSources.DISPATCHER)
        .runWith(Sink.seq(), system).toCompletableFuture().get(60, TimeUnit.SECONDS);
    double[] expected = {0, 0.5, 1.25, 2.125, 4};
    assertEquals(5, out.size());
    for (int i = 0; i < 5; i++) {
      FrameResult r = out.get(i);
      assertEquals("f" + i, r.answer().answer(), "the text stays the model's");
      for (double v : r.answer().map()) {
        assertEquals(expected[i], v, 1e-12, "frame " + i);
      }
    }
  }

  @Test
  void batchingSendsConsecutiveFramesInOneCallAndAnswersEveryFrameInOrder() throws Exception {
    java.util.concurrent.CopyOnWriteArrayList<Integer> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    FramePredictor batched = new FramePredictor() {
      @Override
      public java.util.concurrent.CompletionStage<FrameAnswer> predict(VideoFrame f) {
        throw new AssertionError("a batching stream asks for batches");
      }

      @Override
      public java.util.concurrent.CompletionStage<List<FrameAnswer>> predictBatch(List<VideoFrame> frames) {
        calls.add(frames.size());
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return frames.stream().map(f -> new FrameAnswer("f" + f.index(), new double[f.width() * f.height()], 5))
              .toList();
        }, blocking);
      }
    };
    VideoStats stats = new VideoStats();
    VideoSettings settings = new VideoSettings(false, 24, 0, 2).withBatching(4, java.time.Duration.ofMillis(50), 2);
    List<FrameResult> out = run(23, settings, batched, stats);
    assertEquals(23, out.size());
    for (int i = 0; i < 23; i++) {
      assertEquals(i, out.get(i).frame().index());
      assertEquals("f" + i, out.get(i).answer().answer());
      assertEquals(5, out.get(i).answer().version());
    }
    assertEquals(23, calls.stream().mapToInt(Integer::intValue).sum());
    assertTrue(calls.stream().allMatch(n -> n <= 4), "batches of at most 4: " + calls);
    assertTrue(calls.stream().anyMatch(n -> n > 1), "frames went together: " + calls);
    VideoStats.Snapshot s = stats.snapshot();
    assertEquals(23, s.written());
    assertTrue(s.writtenP50Ms() >= s.p50Ms(), "written after answered: " + s);
  }

  /** A sink that records whether each answer's map was drawn when the sink got it; reads no map itself. */
  static final class Recording implements FrameSink {
    final boolean maps;
    final List<Boolean> drawn = new java.util.concurrent.CopyOnWriteArrayList<>();

    Recording(boolean maps) {
      this.maps = maps;
    }

    @Override
    public boolean usesMaps() {
      return maps;
    }

    @Override
    public void write(FrameResult result) {
      drawn.add(result.answer().mapDrawn());
    }

    @Override
    public void close() {}
  }

  @Test
  void mapsAreDrawnOnlyForASinkThatReadsThem() throws Exception {
    java.util.concurrent.atomic.AtomicInteger draws = new java.util.concurrent.atomic.AtomicInteger();
    FramePredictor lazy = FramePredictor.on(blocking, f -> FrameAnswer.drawn("f" + f.index(), 3,
        f.width() * f.height(), () -> {
          draws.incrementAndGet();
          return new double[f.width() * f.height()];
        }));
    for (boolean maps : new boolean[] {false, true}) {
      draws.set(0);
      Recording sink = new Recording(maps);
      List<FrameResult> out = ServingGraph.serve(frames(12), new VideoSettings(false, 24, 0, 2), lazy, sink,
          new VideoStats(), VideoSources.DISPATCHER).runWith(Sink.seq(), system).toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      assertEquals(12, out.size());
      assertEquals(12, sink.drawn.size());
      assertTrue(sink.drawn.stream().allMatch(d -> d == maps), "drawn before the sink: " + sink.drawn);
      assertEquals(maps ? 12 : 0, draws.get(), "maps drawn with a sink that " + (maps ? "reads" : "does not read")
          + " them");
    }
  }

  @Test
  void aDrawnMapOfAnotherLengthThanAnnouncedIsAnError() {
    FrameAnswer a = FrameAnswer.drawn("x", 1, 6, () -> new double[5]);
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, a::map);
    assertTrue(e.getMessage().contains("5") && e.getMessage().contains("6"), e.getMessage());
  }
}
