package saliency.streams.video;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import saliency.model.video.MaskSmoother;
import saliency.model.video.Smoothing;
import saliency.model.video.VertexSmoother;
import saliency.model.video.VideoFrame;

/**
 * The serving stream, one linear chain of named stages: source -> (max-frames) -> (pace) -> enter -> (drop-when-behind
 * | wait) -> predict (one frame or a batch of consecutive frames per call) -> (draw | smooth) -> measure ->
 * write-buffer -> write. A map is drawn only when the sink reads maps or smoothing is on ({@link FrameAnswer#drawn}):
 * a stream that writes only the answers never rasterizes. Smoothing changes the map only (the answer text
 * stays the model's) and runs over the answered frames in order, so a dropped frame never enters the average. With {@code realtime} the entry keeps only the newest frame
 * while the predictor is busy (conflate: the frames it replaces are dropped and counted), so memory stays flat however
 * slow the predictor; without it every stage backpressures the source. Every frame that entered is either answered
 * or counted as dropped.
 */
public final class ServingGraph {
  private ServingGraph() {}

  /** A frame and the time it entered the serving stream. */
  private record Entered(VideoFrame frame, long nanos) {}

  /**
   * The answered frames of {@code frames}; the sink runs on {@code sinkDispatcher} behind an async boundary (a bounded
   * buffer in front), so writing files overlaps the next prediction.
   */
  public static Source<FrameResult, NotUsed> serve(Source<VideoFrame, ?> frames, VideoSettings settings,
      FramePredictor predictor, FrameSink sink, VideoStats stats, String sinkDispatcher) {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(predictor, "predictor");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(sinkDispatcher, "sinkDispatcher");
    Source<VideoFrame, ?> s = frames;
    if (settings.maxFrames() > 0) {
      s = s.via(Flow.<VideoFrame>create().take(settings.maxFrames()).named("max-frames"));
    }
    if (settings.realtime()) {
      long periodNanos = Math.max(1, Math.round(1e9 / settings.fps()));
      s = s.via(Flow.<VideoFrame>create().throttle(1, Duration.ofNanos(periodNanos)).named("pace"));
    }
    Source<Entered, ?> entered = s.via(Flow.<VideoFrame>create().map(f -> {
      stats.entered();
      return new Entered(f, stats.now());
    }).named("enter"));
    Flow<Entered, Entered, NotUsed> entry = settings.realtime()
        ? Flow.<Entered>create().conflate((older, newer) -> {
          stats.dropped();
          return newer;
        }).named("drop-when-behind")
        : Flow.<Entered>create().buffer(settings.bufferSize(), OverflowStrategy.backpressure()).named("wait");
    Source<FrameResult, ?> answered = entered
        .via(entry)
        .via(predict(settings, predictor, stats));
    if (sink.usesMaps() && !settings.smoothing().on()) {
      // the maps the sink reads are drawn here, beside the sink's writing and the next prediction
      answered = answered.via(Flow.<FrameResult>create().map(r -> {
        r.answer().map();
        return r;
      }).named("draw")).async();
    }
    if (settings.smoothing().on()) {
      answered = answered.via(smooth(settings.smoothing()));
    }
    return answered
        .via(Flow.<FrameResult>create().map(r -> {
          stats.answered(r.latencyNanos());
          return r;
        }).named("measure"))
        .via(Flow.<FrameResult>create().buffer(settings.bufferSize(), OverflowStrategy.backpressure())
            .named("write-buffer"))
        .async()
        .via(Flow.<FrameResult>create().map(r -> {
          sink.write(r);
          if (r.enteredNanos() != FrameResult.UNKNOWN) {
            stats.written(stats.now() - r.enteredNanos());
          }
          return r;
        }).withAttributes(ActorAttributes.dispatcher(sinkDispatcher)).named("write"))
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /**
   * The predict stage: one frame per call, or with {@code batch} > 1 the consecutive frames that arrive within
   * {@code batchWait} (at most {@code batch}) in one call; {@code parallelism} calls in flight, answers in frame order.
   */
  private static Flow<Entered, FrameResult, NotUsed> predict(VideoSettings settings, FramePredictor predictor,
      VideoStats stats) {
    if (settings.batch() == 1) {
      return Flow.<Entered>create().mapAsync(settings.parallelism(), e -> predictor.predict(e.frame())
          .thenApply(a -> result(e, a, stats))).named("predict");
    }
    return Flow.<Entered>create()
        .groupedWithin(settings.batch(), settings.batchWait())
        .mapAsync(settings.parallelism(), batch -> predictor.predictBatch(
            batch.stream().map(Entered::frame).toList()).thenApply(answers -> {
              if (answers.size() != batch.size()) {
                throw new IllegalStateException("predictor answered " + answers.size() + " of " + batch.size()
                    + " frames");
              }
              List<FrameResult> out = new ArrayList<>(batch.size());
              for (int i = 0; i < batch.size(); i++) {
                out.add(result(batch.get(i), answers.get(i), stats));
              }
              return out;
            }))
        .mapConcat(list -> list)
        .named("predict");
  }

  private static FrameResult result(Entered e, FrameAnswer a, VideoStats stats) {
    return new FrameResult(e.frame(), a, stats.now() - e.nanos(), e.nanos());
  }

  /** The maps (or the polygon vertices) averaged over frames, one smoother per materialization. */
  static Flow<FrameResult, FrameResult, NotUsed> smooth(Smoothing smoothing) {
    if (smoothing.kind() == Smoothing.Kind.VERTICES) {
      return Flow.<FrameResult>create().<VertexSmoother, FrameResult>statefulMap(
          () -> new VertexSmoother(smoothing.alpha()),
          (m, r) -> Pair.create(m, r.withAnswer(r.answer().withMap(m.apply(r.frame().width(), r.frame().height(),
              r.answer().answer(), r.answer().map())))),
          m -> Optional.empty()).named("smooth");
    }
    return Flow.<FrameResult>create().<MaskSmoother, FrameResult>statefulMap(
        () -> new MaskSmoother(smoothing.alpha()),
        (m, r) -> Pair.create(m, r.withAnswer(r.answer().withMap(
            m.apply(r.frame().width(), r.frame().height(), r.answer().map())))),
        m -> Optional.empty()).named("smooth");
  }
}
