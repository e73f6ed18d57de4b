package saliency.actors.live;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import saliency.model.video.Overlay;
import saliency.streams.video.LatestFrame;
import saliency.streams.video.VideoStats;

/**
 * The live view of a serving stream over HTTP (Pekko HTTP): {@code /} a page with the overlay and the figures,
 * {@code /stream.mjpg} the overlay as MJPEG ({@code multipart/x-mixed-replace} of JPEG frames), {@code /figures} the
 * figures as JSON. Each MJPEG viewer pulls the newest frame of a {@link LatestFrame} at its own pace, encoded on
 * {@value #DISPATCHER} (once per frame, whatever the number of viewers), so the serving stream never waits on a viewer.
 * Owns the server binding and the viewer counters; the frames and the figures belong to the serving stream.
 */
public final class LiveView implements AutoCloseable {
  /** The dispatcher that draws and encodes the overlay JPEGs (cluster-config/application.conf). */
  public static final String DISPATCHER = "saliency.live-dispatcher";
  /** The MJPEG part boundary. */
  static final String BOUNDARY = "frame";
  /** JPEG quality of the overlay frames. */
  static final float QUALITY = 0.8f;
  /** How long open responses (MJPEG viewers that stopped reading) may take to finish when the view stops. */
  static final Duration STOP_DEADLINE = Duration.ofSeconds(2);

  private static final ContentType MJPEG = ContentTypes.create(
      MediaTypes.customMultipart("x-mixed-replace", java.util.Map.of("boundary", BOUNDARY)));

  private final LatestFrame frames;
  private final VideoStats stats;
  private final String source;
  private final Executor encoder;
  private final Materializer materializer;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong viewers = new AtomicLong();
  private final AtomicLong viewersSeen = new AtomicLong();
  private ServerBinding binding;
  private Encoded encoded;

  /** The JPEG part of one published frame. */
  private record Encoded(long version, ByteString part) {}

  private LiveView(LatestFrame frames, VideoStats stats, String source, Executor encoder, Materializer materializer) {
    this.frames = Objects.requireNonNull(frames, "frames");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.source = Objects.requireNonNull(source, "source");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.materializer = Objects.requireNonNull(materializer, "materializer");
  }

  /**
   * Binds the live view of {@code frames} and {@code stats} (the serving stream of {@code source}) to {@code host}:
   * {@code port} (0: an ephemeral port) on {@code system}; returns once bound.
   *
   * @throws IllegalStateException when the address cannot be bound
   */
  public static LiveView start(ActorSystem<?> system, String host, int port, LatestFrame frames, VideoStats stats,
      String source) throws InterruptedException {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    LiveView view = new LiveView(frames, stats, source,
        system.dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER)), Materializer.matFromSystem(system));
    try {
      view.binding = Http.get(system).newServerAt(host, port).bindSync(view::handle)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("live view: cannot bind " + host + ":" + port + ": " + cause.getMessage(), e);
    }
    return view;
  }

  /** The bound address (the port actually bound when 0 was asked for). */
  public InetSocketAddress address() {
    return binding.localAddress();
  }

  /** The page's address, {@code http://HOST:PORT/}. */
  public String url() {
    InetSocketAddress a = address();
    String host = a.getHostString();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
  }

  /** MJPEG frames sent so far, all viewers together. */
  public long served() {
    return served.get();
  }

  /** MJPEG viewers that connected so far. */
  public long viewersSeen() {
    return viewersSeen.get();
  }

  /**
   * Stops the server: no new connection is accepted, open responses get {@link #STOP_DEADLINE} to finish (an MJPEG
   * response finishes once its viewer has had the last frame of an ended stream), then connections are closed.
   */
  @Override
  public void close() throws Exception {
    binding.terminate(STOP_DEADLINE).toCompletableFuture().get(STOP_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
  }

  private HttpResponse handle(HttpRequest request) {
    if (request.method() != HttpMethods.GET && request.method() != HttpMethods.HEAD) {
      request.discardEntityBytes(materializer);
      return HttpResponse.create().withStatus(StatusCodes.METHOD_NOT_ALLOWED);
    }
    String path = request.getUri().path();
    return switch (path) {
      case "/", "/index.html" -> HttpResponse.create()
          .withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, LivePage.HTML));
      case "/stream.mjpg" -> HttpResponse.create().addHeader(CacheControl.create(CacheDirectives.NO_STORE))
          .withEntity(HttpEntities.createChunked(MJPEG, mjpeg()));
      case "/figures" -> HttpResponse.create().addHeader(CacheControl.create(CacheDirectives.NO_STORE))
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, figures()));
      default -> HttpResponse.create().withStatus(StatusCodes.NOT_FOUND)
          .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, "not found: " + path + "\n"));
    };
  }

  /** One viewer's MJPEG body: the newest frame whenever the connection takes one, until the stream ends. */
  private Source<ByteString, NotUsed> mjpeg() {
    return Source.<Long, ByteString>unfoldAsync(0L, after -> nextPart(after))
        .watchTermination((m, done) -> {
          viewers.incrementAndGet();
          viewersSeen.incrementAndGet();
          done.whenComplete((d, e) -> viewers.decrementAndGet());
          return m;
        });
  }

  private CompletionStage<Optional<Pair<Long, ByteString>>> nextPart(long after) {
    return frames.next(after).thenApplyAsync(p -> p.map(this::part), encoder);
  }

  /** The MJPEG part of the newest frame at or after {@code p}, with its version. */
  private Pair<Long, ByteString> part(LatestFrame.Published p) {
    LatestFrame.Published newest = frames.latest().filter(l -> l.version() > p.version()).orElse(p);
    Encoded e;
    synchronized (this) {
      if (encoded == null || encoded.version() != newest.version()) {
        byte[] jpeg = Overlay.jpeg(newest.result().frame(), newest.result().answer().map(), QUALITY);
        encoded = new Encoded(newest.version(), ByteString.fromString("--" + BOUNDARY
            + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
            .concat(ByteString.fromArray(jpeg)).concat(ByteString.fromString("\r\n")));
      }
      e = encoded;
    }
    served.incrementAndGet();
    return Pair.create(e.version(), e.part());
  }

  /** The figures as one JSON object. */
  String figures() {
    return LiveFigures.json(stats.snapshot(), frames.latest().map(p -> p.result().frame()).orElse(null),
        frames.ended(), served.get(), viewers.get(), source);
  }
}
