package saliency.actors.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import saliency.actors.TestConfigs;
import saliency.actors.serve.BaselinePredictor;
import saliency.model.image.RgbImage;
import saliency.model.video.SyntheticVideoReader;
import saliency.model.video.VideoFrame;
import saliency.streams.video.FrameAnswer;
import saliency.streams.video.FramePredictor;
import saliency.streams.video.LatestFrame;
import saliency.streams.video.ServingGraph;
import saliency.streams.video.VideoSettings;
import saliency.streams.video.VideoSources;
import saliency.streams.video.VideoStats;

/**
 * The live view over real HTTP on an ephemeral loopback port, fed by the serving graph on a synthetic source whose
 * frames the test releases one at a time (so which frame a viewer sees is fixed, not a race): the page, MJPEG parts
 * of distinct frames, the figures, the end of the MJPEG body after the last frame, and a viewer that never reads
 * not holding the stream back.
 */
class LiveViewTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = TestConfigs.localSystem("live-view-test");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  /** A serving stream fed through a queue the test fills, publishing into {@code latest}. */
  private static Pair<BoundedSourceQueue<VideoFrame>, CompletionStage<Done>> serving(FramePredictor.Blocking model,
      LatestFrame latest, VideoStats stats) {
    Pair<BoundedSourceQueue<VideoFrame>, Source<VideoFrame, org.apache.pekko.NotUsed>> q =
        Source.<VideoFrame>queue(64).preMaterialize(system);
    CompletionStage<Done> done = ServingGraph.serve(q.second(), new VideoSettings(false, 24, 0, 2),
            FramePredictor.on(system.dispatchers().lookup(DispatcherSelector.fromConfig("saliency.tf-dispatcher")),
                model), latest, stats, VideoSources.DISPATCHER)
        .runWith(Sink.ignore(), system);
    return Pair.create(q.first(), done);
  }

  private static void offer(BoundedSourceQueue<VideoFrame> q, VideoFrame f) {
    assertEquals(QueueOfferResult.enqueued(), q.offer(f));
  }

  @Test
  void servesThePageDistinctMjpegFramesAndTheFiguresThenEndsAfterTheLastFrame() throws Exception {
    List<VideoFrame> frames = new ArrayList<>();
    try (SyntheticVideoReader reader = SyntheticVideoReader.open("synthetic:3")) {
      reader.next().ifPresent(frames::add);
      reader.next().ifPresent(frames::add);
    }
    LatestFrame latest = new LatestFrame();
    VideoStats stats = new VideoStats();
    try (BaselinePredictor prior = BaselinePredictor.open("centre-prior", 1);
         LiveView live = LiveView.start(system, "127.0.0.1", 0, latest, stats, "synthetic:3")) {
      int port = live.address().getPort();
      System.out.println("live view test: bound port " + port + ", " + live.url());
      assertTrue(port > 0);
      assertTrue(live.url().startsWith("http://127.0.0.1:" + port + "/"), live.url());
      var serving = serving(prior, latest, stats);
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create(live.url());

      HttpResponse<String> page = http.send(HttpRequest.newBuilder(base).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
      assertTrue(page.body().contains("src=\"stream.mjpg\"") && page.body().contains("fetch('figures'"),
          page.body());

      HttpResponse<InputStream> mjpeg = http.send(HttpRequest.newBuilder(base.resolve("stream.mjpg")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, mjpeg.statusCode());
      assertEquals("multipart/x-mixed-replace; boundary=frame", mjpeg.headers().firstValue("content-type")
          .orElse(""));
      try (InputStream body = mjpeg.body()) {
        offer(serving.first(), frames.get(0));
        byte[] first = nextPart(body);
        offer(serving.first(), frames.get(1));
        byte[] second = nextPart(body);
        assertJpeg(first);
        assertJpeg(second);
        assertFalse(Arrays.equals(first, second), "two distinct frames");

        JsonObject f = figures(http, base);
        assertEquals("synthetic:3", f.get("source").getAsString());
        assertEquals(2, f.get("answered").getAsLong());
        assertEquals(0, f.get("dropped").getAsLong());
        assertEquals(1, f.get("frame").getAsLong());
        assertTrue(f.get("served").getAsLong() >= 2, f.toString());
        assertEquals(1, f.get("viewers").getAsLong());
        assertTrue(f.get("p50_ms").getAsDouble() > 0 && f.get("p99_ms").getAsDouble() >= f.get("p50_ms")
            .getAsDouble(), f.toString());
        assertFalse(f.get("ended").getAsBoolean());

        serving.first().complete();
        serving.second().toCompletableFuture().get(60, TimeUnit.SECONDS);
        latest.close();
        assertNull(nextPart(body), "the MJPEG body ends after the last frame");
        assertTrue(figures(http, base).get("ended").getAsBoolean());

        // a viewer arriving after the end still gets the last frame, then the end
        try (InputStream late = http.send(HttpRequest.newBuilder(base.resolve("stream.mjpg")).build(),
            HttpResponse.BodyHandlers.ofInputStream()).body()) {
          assertArrayEquals(second, nextPart(late));
          assertNull(nextPart(late));
        }
      }
      assertEquals(2, live.viewersSeen());
    }
  }

  @Test
  void aViewerThatNeverReadsDoesNotHoldTheStreamBack() throws Exception {
    int n = 24;
    // two noise images: each frame's JPEG is hundreds of kilobytes, so a few fill the stalled socket's buffers
    Random random = new Random(7);
    List<RgbImage> noise = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      float[] px = new float[640 * 480 * 3];
      for (int i = 0; i < px.length; i++) {
        px[i] = random.nextFloat();
      }
      noise.add(new RgbImage(640, 480, px));
    }
    LatestFrame latest = new LatestFrame();
    VideoStats stats = new VideoStats();
    try (LiveView live = LiveView.start(system, "127.0.0.1", 0, latest, stats, "noise");
         Socket stalled = new Socket("127.0.0.1", live.address().getPort())) {
      stalled.setReceiveBufferSize(4096);
      OutputStream o = stalled.getOutputStream();
      o.write("GET /stream.mjpg HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      o.flush();
      var serving = serving(f -> new FrameAnswer(null, new double[f.width() * f.height()]), latest, stats);
      for (int i = 0; i < n; i++) {
        offer(serving.first(), new VideoFrame(i, i * 40L, noise.get(i % 2)));
      }
      serving.first().complete();
      serving.second().toCompletableFuture().get(120, TimeUnit.SECONDS);
      latest.close();
      assertEquals(n, stats.snapshot().answered());
      assertEquals(n, latest.latest().orElseThrow().version());
    }
  }

  private static JsonObject figures(HttpClient http, URI base) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("figures")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private static void assertJpeg(byte[] jpeg) {
    assertNotNull(jpeg, "a part");
    assertTrue(jpeg.length > 4);
    assertEquals(0xFF, jpeg[0] & 0xff);
    assertEquals(0xD8, jpeg[1] & 0xff, "SOI");
    assertEquals(0xFF, jpeg[jpeg.length - 2] & 0xff);
    assertEquals(0xD9, jpeg[jpeg.length - 1] & 0xff, "EOI");
  }

  /** The JPEG of the next MJPEG part, null at the end of the body. */
  private static byte[] nextPart(InputStream in) throws IOException {
    String line = line(in);
    while (line != null && line.isEmpty()) {
      line = line(in);
    }
    if (line == null) {
      return null;
    }
    assertEquals("--frame", line);
    int length = -1;
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      String lower = h.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(h.substring("content-length:".length()).trim());
      } else {
        assertEquals("content-type: image/jpeg", lower);
      }
    }
    assertTrue(length > 0, "a Content-Length");
    return in.readNBytes(length);
  }

  /** One CRLF-terminated line, null at the end. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
  }
}
