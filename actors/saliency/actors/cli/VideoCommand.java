package saliency.actors.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import saliency.actors.live.LiveView;
import saliency.actors.serve.BaselinePredictor;
import saliency.actors.serve.RunPredictor;
import saliency.actors.serve.ServedPolicy;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import saliency.actors.serve.VideoLearning;
import saliency.model.video.FrameLabels;
import saliency.streams.PipelineStats;
import saliency.streams.SubmitResult;
import saliency.streams.video.FrameResult;
import saliency.model.video.FfmpegFrameReader;
import saliency.model.video.FrameFolderReader;
import saliency.model.video.FrameReader;
import saliency.model.video.LabelFolder;
import saliency.model.video.Smoothing;
import saliency.model.video.OverlayWriter;
import saliency.model.video.VideoScores;
import saliency.model.video.SyntheticVideoReader;
import saliency.streams.video.FramePredictor;
import saliency.streams.video.FrameSink;
import saliency.streams.video.LatestFrame;
import saliency.streams.video.ServingGraph;
import saliency.streams.video.VideoOutputs;
import saliency.streams.video.VideoSettings;
import saliency.streams.video.VideoSources;
import saliency.streams.video.VideoStats;

/**
 * {@code video}: serves a run's greedy answers (or a baseline's maps) for every frame of a video file, stream or frame
 * folder through the serving stream, writing masks and JSON Lines answers when asked; holds only its options.
 */
@Command(name = "video", mixinStandardHelpOptions = true,
    description = "Saliency masks and answers per frame of a video (anything FFmpeg reads) or a folder of frames.")
final class VideoCommand implements Callable<Integer> {
  /** The dispatcher the blocking predictor runs on. */
  static final String PREDICT_DISPATCHER = "saliency.tf-dispatcher";

  @Spec CommandSpec spec;

  /** The overlay writer of this call, when --overlay asked for one. */
  private OverlayWriter overlayWriter;

  /** The newest answered frame for the live view, when --serve asked for one. */
  private LatestFrame latest;

  /** The labels of {@code --labels}, when given. */
  private FrameLabels frameLabels;

  /** Counted down by a signal (SIGINT, SIGTERM). */
  private final CountDownLatch signalled = new CountDownLatch(1);

  /** How long a signal waits for the outputs to be closed before the JVM exits. */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  @Option(names = "--in", required = true, description = "a folder of .jpg/.png frames (file-name order), a video "
      + "file, stream URL or device FFmpeg can open, or synthetic[:N] (a moving synthetic scene, N frames, default "
      + "120)")
  String in;

  @Option(names = "--run", description = "run folder written by train")
  Path run;

  @Option(names = "--baseline", description = "centre-prior | selfie, instead of --run")
  String baseline;

  @Option(names = "--out", description = "folder for masks/NNNNN.png and answers.jsonl; omitted: nothing is written")
  Path out;

  @Option(names = "--overlay", description = "MP4 file of the video with the mask tinted red and outlined (H.264 by "
      + "libopenh264, else mpeg4), at the source's frame rate")
  Path overlay;

  @Option(names = "--no-masks", description = "with --out, write answers.jsonl only")
  boolean noMasks;

  @Option(names = "--realtime", description = "pace the source at its frame rate and drop frames at the entry while "
      + "the model is behind")
  boolean realtime;

  @Option(names = "--fps", description = "frame rate of a frame folder (default 24), or one that overrides a video's")
  Double fps;

  @Option(names = "--max-frames", defaultValue = "0", description = "stop after N frames of the source (0: all)")
  long maxFrames;

  @Option(names = "--threads", defaultValue = "1", description = "TensorFlow intra-op threads")
  int threads;

  @Option(names = "--batch", description = "consecutive frames per policy call (default saliency.video.batch)")
  Integer batch;

  @Option(names = "--batch-wait-ms", description = "how long a batch of frames waits to fill, ms (default "
      + "saliency.video.batch-wait)")
  Double batchWaitMs;

  @Option(names = "--parallelism", description = "frame batches in flight: the next batch is resized (or its "
      + "features computed) while the policy answers the previous (default saliency.video.parallelism)")
  Integer parallelism;

  @Option(names = "--learn", description = "with --run, keep training the policy on the stream while serving it "
      + "(CGPO through the training graph and the sharded learner): the reward is against --labels, or without "
      + "them agreement with the previous frames' smoothed mask plus the format reward; answers.jsonl gives the "
      + "policy version of each answer")
  boolean learn;

  @Option(names = "--learn-dir", description = "with --learn, the learner's folder (slice checkpoints; a folder "
      + "holding them resumes from them; default OUT/learn with --out, else a new temporary folder)")
  Path learnDir;

  @Option(names = "--learn-batch", defaultValue = "8", description = "with --learn, samples per gradient (default "
      + "${DEFAULT-VALUE})")
  int learnBatch;

  @Option(names = "--learn-buffer", defaultValue = "4", description = "with --learn, labelled frames waiting for "
      + "the learning branch; the oldest is dropped when it falls behind (default ${DEFAULT-VALUE})")
  int learnBuffer;

  @Option(names = "--agreement", defaultValue = "0.8", description = "with --learn and no --labels, the weight of "
      + "agreement with the previous frames' smoothed mask (IoU); the format reward has the rest (default "
      + "${DEFAULT-VALUE})")
  double agreement;

  @Option(names = "--label-alpha", defaultValue = "0.5", description = "with --learn and no --labels, the newest "
      + "frame's weight in the smoothed mask the answers are rewarded against (default ${DEFAULT-VALUE})")
  double labelAlpha;

  @Option(names = "--extra-delay-ms", defaultValue = "0", description = "sleep this long after each answer: a model "
      + "made artificially slower (to see --realtime drop frames)")
  long extraDelayMs;

  @Option(names = "--smooth", defaultValue = "off", description = "temporal smoothing of the mask: off; ema or "
      + "ema:ALPHA (exponential moving average of the maps); vertices or vertices:ALPHA (the same average of the "
      + "answer's polygon vertices, each polygon resampled to 32 points and matched to the previous frame's nearest, "
      + "then rasterized). ALPHA is the newest frame's weight, default 0.5; both restart when the frame size changes")
  String smooth;

  @Option(names = "--labels", description = "folder of ground-truth .png masks: frame i's is STEM.png for a frame "
      + "folder's STEM.jpg, else the i-th .png in name order; prints running and final S-measure, MAE, IoU, max-F "
      + "(a synthetic source scores against its own ground truth without it)")
  Path labels;

  @Option(names = "--labels-prefix", defaultValue = "", description = "with --labels, only the masks whose file name "
      + "starts with this (e.g. blackswan_ for one DAVIS sequence)")
  String labelsPrefix;

  @Option(names = "--serve", description = "serve a live view on this port (0: an ephemeral one, printed): a page "
      + "with the overlay as MJPEG and the figures; stops when the source has ended and every viewer has had the last "
      + "frame")
  Integer serve;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "with --serve, the address to listen on "
      + "(default 127.0.0.1, loopback only; 0.0.0.0 for every interface)")
  String bind;

  @Option(names = "--serve-linger", defaultValue = "0", description = "with --serve, seconds to keep serving the last "
      + "frame and the final figures after the source has ended (SIGINT ends it sooner)")
  double serveLinger;

  @Option(names = "--progress-seconds", defaultValue = "5", description = "seconds between progress lines (0: only "
      + "the final line)")
  double progressSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if ((run == null) == (baseline == null)) {
      err.println("video: give exactly one of --run RUN_DIR or --baseline centre-prior|selfie");
      err.flush();
      return 2;
    }
    if (learn && run == null) {
      err.println("video: --learn needs --run RUN_DIR (a baseline does not learn)");
      err.flush();
      return 2;
    }
    if (fps != null && !(fps > 0)) {
      throw new IllegalArgumentException("--fps must be positive, got " + fps);
    }
    if (extraDelayMs < 0) {
      throw new IllegalArgumentException("--extra-delay-ms must be >= 0, got " + extraDelayMs);
    }
    if (maxFrames < 0) {
      throw new IllegalArgumentException("--max-frames must be >= 0, got " + maxFrames);
    }
    if (serve != null && (serve < 0 || serve > 65535)) {
      throw new IllegalArgumentException("--serve must be a port in 0..65535, got " + serve);
    }
    if (!(serveLinger >= 0) || Double.isInfinite(serveLinger)) {
      throw new IllegalArgumentException("--serve-linger must be >= 0 seconds, got " + serveLinger);
    }
    Smoothing smoothing = Smoothing.parse(smooth);
    FrameReader reader = openReader();
    VideoScores scores;
    try {
      scores = openScores(reader);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    SharedKillSwitch stop = KillSwitches.shared("video-stop");
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> stopOnSignal(stop, finished, err), "video-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      VideoStats.Snapshot snap;
      try (reader;
           AutoCloseable model = run != null ? RunPredictor.open(run, threads, note -> println(err, note))
               : BaselinePredictor.open(baseline, threads);
           FrameSink sink = openSinks(scores, fps != null ? fps : reader.frameRate())) {
        double rate = fps != null ? fps : reader.frameRate();
        VideoSettings settings = batching(new VideoSettings(realtime, rate, maxFrames, 2, smoothing), batch, batchWaitMs,
            parallelism);
        snap = serve(reader, model, sink, settings, scores, stop, out, err);
      }
      report(reader, snap, scores, out, err);
      return 0;
    } finally {
      // a signal's hook waits for this: the outputs are closed and the final lines printed
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running (SIGINT): it returns now
      }
    }
  }

  /** The final lines: the skips, the figures, the scores, the overlay. */
  private void report(FrameReader reader, VideoStats.Snapshot snap, VideoScores scores, PrintWriter out,
      PrintWriter err) {
    List<String> skips = reader.skips();
    for (String s : skips.subList(0, Math.min(10, skips.size()))) {
      println(err, "video: skipped " + s);
    }
    if (skips.size() > 10) {
      println(err, "video: ... and " + (skips.size() - 10) + " more skips");
    }
    out.println(String.format(Locale.ROOT, "video: %s: %s, %d skipped%s", reader.describe(), snap.line(),
        skips.size(), signalled.getCount() == 0 ? " (stopped by a signal)" : ""));
    if (scores != null) {
      out.println("video: scores: " + scores.line());
    }
    if (overlayWriter != null) {
      out.println(String.format(Locale.ROOT, "video: overlay %s: %d frames (%s), %d skipped for another size",
          overlay, overlayWriter.written(), overlayWriter.codec(), overlayWriter.skipped()));
    }
    out.flush();
  }

  /** The source {@code --in} names: a moving synthetic scene, a frame folder, or anything FFmpeg opens. */
  private FrameReader openReader() {
    if (SyntheticVideoReader.isSpec(in) && !Files.exists(Path.of(in))) {
      return SyntheticVideoReader.open(in);
    }
    return Files.isDirectory(Path.of(in)) ? FrameFolderReader.open(Path.of(in), fps != null ? fps : 24)
        : FfmpegFrameReader.open(in);
  }

  /** The running scores: against {@code --labels}, or a synthetic source's own ground truth; null for neither. */
  private VideoScores openScores(FrameReader reader) {
    if (labels != null) {
      LongFunction<String> stems = reader instanceof FrameFolderReader f ? f::stem : i -> null;
      frameLabels = LabelFolder.open(labels, labelsPrefix, stems);
      return new VideoScores(frameLabels);
    }
    return reader instanceof SyntheticVideoReader s ? new VideoScores(s) : null;
  }

  /** The sinks asked for: the scores, files under {@code --out}, the overlay MP4, the live view's newest frame. */
  private FrameSink openSinks(VideoScores scores, double rate) throws Exception {
    List<FrameSink> sinks = new ArrayList<>();
    try {
      if (serve != null) {
        latest = new LatestFrame();
        sinks.add(latest);
      }
      if (scores != null) {
        sinks.add(FrameSink.scoring(scores));
      }
      if (this.out != null) {
        sinks.add(VideoOutputs.open(this.out, !noMasks, true));
      }
      if (overlay != null) {
        overlayWriter = new OverlayWriter(overlay, rate);
        sinks.add(FrameSink.overlay(overlayWriter));
      }
    } catch (Exception | Error e) {
      FrameSink.all(sinks).close();
      throw e;
    }
    return sinks.isEmpty() ? FrameSink.none() : FrameSink.all(sinks);
  }

  /**
   * Runs the serving stream to its end (or to {@code stop}); the figures as it ended. With {@code --serve} the live
   * view is up from before the first frame until the stream has ended, every viewer has had the last frame and
   * {@code --serve-linger} has passed.
   */
  private VideoStats.Snapshot serve(FrameReader reader, AutoCloseable model, FrameSink sink,
      VideoSettings settings, VideoScores scores, SharedKillSwitch stop, PrintWriter out, PrintWriter err)
      throws Exception {
    VideoLearning learning = learn ? VideoLearning.start((RunPredictor) model, frameLabels, learnOptions()) : null;
    ActorSystem<?> system = learning != null ? learning.system()
        : ActorSystem.create(Behaviors.empty(), "video", systemConfig());
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "video-progress");
      t.setDaemon(true);
      return t;
    });
    ExecutorService slowModel = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "video-extra-delay");
      t.setDaemon(true);
      return t;
    });
    VideoStats stats = new VideoStats();
    LiveView live = null;
    try {
      if (latest != null) {
        live = LiveView.start(system, bind, serve, latest, stats, reader.describe());
        println(out, "video: live view at " + live.url());
      }
      if (progressSeconds > 0) {
        long period = Math.max(1, Math.round(progressSeconds * 1000));
        progress.scheduleAtFixedRate(() -> println(err, "video: " + stats.snapshot().line()
            + (scores != null ? "; " + scores.line() : "")), period, period,
            TimeUnit.MILLISECONDS);
      }
      FramePredictor p = FramePredictor.delayed(learning != null ? learning.predictor() : predictor(system, model),
          Duration.ofMillis(extraDelayMs), slowModel);
      Source<FrameResult, NotUsed> served = ServingGraph.serve(VideoSources.frames(() -> reader).via(stop.flow()),
          settings, p, sink, stats, VideoSources.DISPATCHER);
      if (learning == null) {
        served.runWith(Sink.ignore(), system).toCompletableFuture().get();
        return stats.snapshot();
      }
      Pair<Pair<UniqueKillSwitch, CompletionStage<SubmitResult>>, CompletionStage<Done>> running =
          served.wireTapMat(learning.branch().sink(), Keep.right()).toMat(Sink.ignore(), Keep.both()).run(system);
      running.second().toCompletableFuture().get();
      VideoStats.Snapshot snap = stats.snapshot();
      // serving has ended: the frames still waiting to be learned from are dropped
      running.first().first().shutdown();
      running.first().second().toCompletableFuture().get(120, TimeUnit.SECONDS);
      reportLearning(learning, snap, out);
      return snap;
    } finally {
      progress.shutdownNow();
      slowModel.shutdownNow();
      if (live != null) {
        stopLiveView(live, out);
      }
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** The learning options of the command line; the learner's folder made when not given. */
  private VideoLearning.Options learnOptions() throws java.io.IOException {
    Path dir = learnDir != null ? learnDir : this.out != null ? this.out.resolve("learn")
        : Files.createTempDirectory("video-learn");
    return new VideoLearning.Options(dir, learnBatch, learnBuffer, agreement, labelAlpha);
  }

  /** The learning line: frames labelled and learned from, gradients, the learner's answers. */
  private static void reportLearning(VideoLearning learning, VideoStats.Snapshot snap, PrintWriter out) {
    PipelineStats.Snapshot st = learning.branch().graph().stats().snapshot();
    println(out, String.format(Locale.ROOT, "video: learning: %d of %d answered frames labelled, %d learned from, "
            + "%d samples trained in %d gradients (%d slices accepted, %d stale, %d rejected), %d failures%s",
        learning.branch().labelled(), snap.answered(), st.pulled(), st.trainedSamples(), st.gradients(),
        st.slicesAccepted(), st.slicesStale(), st.slicesRejected(), st.failures(),
        st.failures() > 0 ? " (last: " + st.lastFailure() + ")" : ""));
  }

  /**
   * The config of a serving stream's actor system: local, quiet, and no Pekko JVM hook (SIGINT stops the stream
   * through the kill switch and waits for the outputs; Pekko's own hook would terminate the system under the stream).
   */
  static Config systemConfig() {
    return ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING\n"
            + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n")
        .withFallback(ConfigFactory.load());
  }

  /**
   * {@code base} with the batching of {@code saliency.video} in {@code systemConfig()}, each overridden by its
   * option when given: frames per policy call, how long a batch waits to fill, policy calls in flight.
   */
  static VideoSettings batching(VideoSettings base, Integer batch, Double waitMs, Integer parallelism) {
    Config c = systemConfig().getConfig("saliency.video");
    int b = batch != null ? batch : c.getInt("batch");
    Duration wait = waitMs != null ? Duration.ofNanos(Math.round(waitMs * 1e6)) : c.getDuration("batch-wait");
    int p = parallelism != null ? parallelism : c.getInt("parallelism");
    return base.withBatching(b, wait, p);
  }

  /**
   * The frame predictor of {@code model} in {@code system}: a run's policy through a policy actor, a baseline on the
   * TensorFlow dispatcher.
   */
  static FramePredictor predictor(ActorSystem<?> system, AutoCloseable model) {
    if (model instanceof RunPredictor r) {
      return ServedPolicy.start(system, r, f -> r.unlabelled(f.image()), ASK_TIMEOUT).predictor();
    }
    return FramePredictor.on(system.dispatchers().lookup(DispatcherSelector.fromConfig(PREDICT_DISPATCHER)),
        (FramePredictor.Blocking) model);
  }

  /** How long a frame batch may wait for the policy actor's answer. */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);

  /** Ends the live view's stream, keeps serving for {@code --serve-linger} (or until a signal), then stops it. */
  private void stopLiveView(LiveView live, PrintWriter out) throws Exception {
    latest.close();
    long lingerMs = Math.round(serveLinger * 1000);
    if (lingerMs > 0 && signalled.getCount() > 0) {
      println(out, String.format(Locale.ROOT, "video: source ended; live view at %s for %.0f s more", live.url(),
          serveLinger));
      signalled.await(lingerMs, TimeUnit.MILLISECONDS);
    }
    live.close();
    println(out, String.format(Locale.ROOT, "video: live view stopped: %d frames served to %d viewers",
        live.served(), live.viewersSeen()));
  }

  /** The shutdown hook's work (SIGINT, SIGTERM): stops the stream and waits for the outputs to be closed. */
  private void stopOnSignal(SharedKillSwitch stop, CountDownLatch finished, PrintWriter err) {
    if (finished.getCount() == 0) {
      return;
    }
    signalled.countDown();
    stop.shutdown();
    println(err, "video: stopping on a signal: finishing the frames in flight and closing the outputs");
    try {
      if (!finished.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        println(err, "video: the outputs were not closed within " + STOP_WAIT.toSeconds() + " s; exiting");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void println(PrintWriter w, String line) {
    synchronized (w) {
      w.println(line);
      w.flush();
    }
  }
}
