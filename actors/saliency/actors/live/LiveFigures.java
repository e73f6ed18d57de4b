package saliency.actors.live;

import com.google.gson.JsonObject;
import saliency.model.video.VideoFrame;
import saliency.streams.video.VideoStats;

/** The live view's figures as one JSON object; stateless. */
final class LiveFigures {
  private LiveFigures() {}

  /**
   * {@code {"source", "answered", "entered", "dropped", "fps", "p50_ms", "p99_ms", "frame", "pts_ms", "served",
   * "viewers", "ended"}}: the serving stream's counters, answered frames per second, answer latency percentiles (null
   * before the first answer), the newest answered frame's index and timestamp (null before it), MJPEG frames sent,
   * viewers connected now, and whether the source has ended.
   */
  static String json(VideoStats.Snapshot s, VideoFrame newest, boolean ended, long served, long viewers,
      String source) {
    JsonObject o = new JsonObject();
    o.addProperty("source", source);
    o.addProperty("answered", s.answered());
    o.addProperty("entered", s.entered());
    o.addProperty("dropped", s.dropped());
    o.addProperty("fps", round(s.framesPerSecond()));
    o.addProperty("p50_ms", Double.isNaN(s.p50Ms()) ? null : round(s.p50Ms()));
    o.addProperty("p99_ms", Double.isNaN(s.p99Ms()) ? null : round(s.p99Ms()));
    o.addProperty("frame", newest == null ? null : newest.index());
    o.addProperty("pts_ms", newest == null ? null : newest.ptsMs());
    o.addProperty("served", served);
    o.addProperty("viewers", viewers);
    o.addProperty("ended", ended);
    return o.toString();
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
