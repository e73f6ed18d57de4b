package saliency.actors.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import saliency.actors.serve.RunPredictor;
import saliency.actors.serve.ServedPolicy;
import saliency.model.image.ImageIo;
import saliency.model.train.Prepared;
import saliency.model.video.FfmpegFrameReader;
import saliency.model.video.FrameReader;
import saliency.model.video.LoopedReader;
import saliency.model.video.OverlayWriter;
import saliency.model.video.VideoFrame;
import saliency.streams.video.FrameAnswer;
import saliency.streams.video.FramePredictor;
import saliency.streams.video.FrameSink;
import saliency.streams.video.ServingGraph;
import saliency.streams.video.VideoOutputs;
import saliency.streams.video.VideoSettings;
import saliency.streams.video.VideoSources;
import saliency.streams.video.VideoStats;

/**
 * {@code bench-video}: frames/s and latency of the serving stream (through a policy actor) on video files for each
 * output combination and frame batch, and where a frame's time goes stage by stage; holds only its options.
 */
@Command(name = "bench-video", mixinStandardHelpOptions = true,
    description = "Serving frames/s and latency p50/p99 per output combination and batch, and per-stage frame costs.")
final class BenchVideoCommand implements Callable<Integer> {
  /** The output combinations, in the order measured. */
  enum Outputs {
    ANSWERS("answers"), MASKS("answers+masks"), ALL("answers+masks+overlay");

    final String label;

    Outputs(String label) {
      this.label = label;
    }
  }

  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, description = "run folder written by train (repeatable)")
  List<Path> runs;

  @Option(names = "--in", description = "video file FFmpeg reads (repeatable; default the two DAVIS 2016 MP4s under "
      + "../shared/data/davis-2016)")
  List<String> inputs;

  @Option(names = "--loops", defaultValue = "2", description = "times the sources are read in one measured pass")
  int loops;

  @Option(names = "--batch", split = ",", defaultValue = "1,4", description = "frames per policy call, each "
      + "measured (default ${DEFAULT-VALUE})")
  List<Integer> batches;

  @Option(names = "--batch-wait-ms", description = "how long a batch waits to fill (default saliency.video.batch-wait)")
  Double batchWaitMs;

  @Option(names = "--parallelism", description = "frame batches in flight (default saliency.video.parallelism)")
  Integer parallelism;

  @Option(names = "--outputs", split = ",", defaultValue = "answers,masks,all", description = "output combinations: "
      + "answers (answers.jsonl), masks (+ mask PNGs), all (+ overlay MP4)")
  List<String> outputs;

  @Option(names = "--pace", defaultValue = "0", description = "frames/s to pace the sources at, dropping frames at the "
      + "entry while the model is behind (as video --realtime); 0: as fast as the model goes")
  double pace;

  @Option(names = "--profile-frames", defaultValue = "40", description = "frames timed stage by stage, one at a time "
      + "(0: no profile)")
  int profileFrames;

  @Option(names = "--warmup-frames", defaultValue = "8", description = "frames served before each batch setting is "
      + "measured")
  int warmupFrames;

  @Option(names = "--threads", defaultValue = "1", description = "TensorFlow intra-op threads of the policy")
  int threads;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> sources = inputs != null ? inputs : List.of("../shared/data/davis-2016/blackswan.mp4",
        "../shared/data/davis-2016/bmx-trees.mp4");
    for (String s : sources) {
      if (!Files.isRegularFile(Path.of(s))) {
        throw new IOException(s + ": no such video file");
      }
    }
    if (loops < 1 || profileFrames < 0 || warmupFrames < 0 || pace < 0) {
      throw new IllegalArgumentException("--loops must be >= 1; --profile-frames, --warmup-frames, --pace >= 0");
    }
    List<Outputs> combos = outputs.stream().map(BenchVideoCommand::outputs).toList();
    Supplier<FrameReader> all = () -> new LoopedReader(sources.stream()
        .<Supplier<FrameReader>>map(s -> () -> FfmpegFrameReader.open(s)).toList(), loops);
    out.println(String.format(Locale.ROOT, "bench-video: %s x %d, %d cores, load average %.2f", sources, loops,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    out.flush();
    Path scratch = Files.createTempDirectory("bench-video");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-video", VideoCommand.systemConfig());
    try {
      for (Path run : runs) {
        try (RunPredictor model = RunPredictor.open(run, threads, note -> println(out, "bench-video: " + note))) {
          println(out, String.format(Locale.ROOT, "run %s: %s encoder, %s answers, %d parameters", run,
              model.settings().mobileNet() ? "mobilenet_v2" : "conv",
              model.settings().promptAnswers() ? "prompt" : "polygon", model.network().parameterCount()));
          if (profileFrames > 0) {
            profile(model, all, scratch, out);
          }
          ServedPolicy served = ServedPolicy.start(system, model, f -> model.unlabelled(f.image()),
              VideoCommand.ASK_TIMEOUT);
          try {
            measure(system, served.predictor(), all, combos, scratch, out);
          } finally {
            served.close();
          }
        }
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      deleteTree(scratch);
    }
    return 0;
  }

  private static Outputs outputs(String name) {
    return switch (name) {
      case "answers" -> Outputs.ANSWERS;
      case "masks" -> Outputs.MASKS;
      case "all" -> Outputs.ALL;
      default -> throw new IllegalArgumentException("--outputs takes answers, masks, all; got '" + name + "'");
    };
  }

  /** One row per batch setting and output combination: frames/s, latency to answer and to outputs written. */
  private void measure(ActorSystem<?> system, FramePredictor predictor, Supplier<FrameReader> frames,
      List<Outputs> combos, Path scratch, PrintWriter out) throws Exception {
    println(out, "  batch | outputs               | frames | frames/s | answer p50 / p99 ms | written p50 / p99 ms"
        + " | dropped");
    double rate;
    try (FrameReader r = frames.get()) {
      rate = r.frameRate();
    }
    for (int batch : batches) {
      VideoSettings settings = VideoCommand.batching(
          new VideoSettings(pace > 0, pace > 0 ? pace : rate, 0, 2), batch, batchWaitMs, parallelism);
      if (warmupFrames > 0) {
        run(system, frames, settings.withMaxFrames(warmupFrames).notPaced(), predictor, FrameSink.none());
      }
      for (Outputs o : combos) {
        Path dir = scratch.resolve("out");
        deleteTree(dir);
        VideoStats.Snapshot s;
        OverlayWriter overlay = o == Outputs.ALL ? new OverlayWriter(scratch.resolve("overlay.mp4"), rate) : null;
        try (FrameSink sink = sink(dir, o, overlay)) {
          s = run(system, frames, settings, predictor, sink);
        }
        println(out, String.format(Locale.ROOT, "  %5d | %-21s | %6d | %8.1f | %8.1f / %8.1f | %8.1f / %8.1f | %d",
            batch, o.label, s.answered(), s.framesPerSecond(), s.p50Ms(), s.p99Ms(), s.writtenP50Ms(),
            s.writtenP99Ms(), s.dropped()));
      }
    }
  }

  private static FrameSink sink(Path dir, Outputs o, OverlayWriter overlay) throws IOException {
    FrameSink files = VideoOutputs.open(dir, o != Outputs.ANSWERS, true);
    return overlay == null ? files : FrameSink.all(List.of(files, FrameSink.overlay(overlay)));
  }

  /** Serves {@code frames} to the end; the figures as it ended (all outputs written). */
  private static VideoStats.Snapshot run(ActorSystem<?> system, Supplier<FrameReader> frames, VideoSettings settings,
      FramePredictor predictor, FrameSink sink) throws Exception {
    VideoStats stats = new VideoStats();
    ServingGraph.serve(VideoSources.frames(frames), settings, predictor, sink, stats, VideoSources.DISPATCHER)
        .runWith(Sink.ignore(), system).toCompletableFuture().get(30, TimeUnit.MINUTES);
    return stats.snapshot();
  }

  /**
   * Times {@code profileFrames} frames one at a time through each stage (decode, prepare: resize or features,
   * policy, rasterize, mask PNG, overlay frame) with this predictor's own network, then the policy alone per batch
   * size; prints mean and p50 per frame.
   */
  private void profile(RunPredictor model, Supplier<FrameReader> frames, Path scratch, PrintWriter out)
      throws Exception {
    String[] names = {"decode", model.settings().mobileNet() ? "resize+features" : "resize", "policy",
        "rasterize", "mask png", "overlay draw+queue"};
    long[][] t = new long[names.length][profileFrames];
    List<Prepared> prepared = new ArrayList<>();
    int n = 0;
    OverlayWriter overlay = null;
    try (FrameReader r = frames.get()) {
      overlay = new OverlayWriter(scratch.resolve("profile.mp4"), r.frameRate());
      for (int i = -2; i < profileFrames; i++) {
        long t0 = System.nanoTime();
        VideoFrame f = r.next().orElse(null);
        if (f == null) {
          break;
        }
        long t1 = System.nanoTime();
        Prepared p = model.prepare(List.of(model.unlabelled(f.image()))).get(0);
        long t2 = System.nanoTime();
        int[] tokens = model.greedy(p);
        long t3 = System.nanoTime();
        FrameAnswer a = model.answer(p, tokens, FrameAnswer.NO_VERSION);
        a.map(); // drawn here, so the rasterize stage holds it
        long t4 = System.nanoTime();
        ImageIo.writeGray8(scratch.resolve("profile.png"), a.map(), f.width(), f.height());
        long t5 = System.nanoTime();
        overlay.write(f, a.map());
        long t6 = System.nanoTime();
        if (i < 0) {
          continue; // warm-up
        }
        long[] stamps = {t0, t1, t2, t3, t4, t5, t6};
        for (int k = 0; k < names.length; k++) {
          t[k][n] = stamps[k + 1] - stamps[k];
        }
        prepared.add(p);
        n++;
      }
    } finally {
      if (overlay != null) {
        overlay.close();
      }
    }
    long total = 0;
    for (long[] stage : t) {
      total += Arrays.stream(stage, 0, n).sum();
    }
    println(out, String.format(Locale.ROOT, "  where a frame's time goes (%d frames, one at a time, batch 1):", n));
    for (int k = 0; k < names.length; k++) {
      long[] s = Arrays.copyOf(t[k], n);
      Arrays.sort(s);
      double mean = Arrays.stream(s).sum() / (double) Math.max(1, n) / 1e6;
      println(out, String.format(Locale.ROOT, "    %-16s mean %7.2f ms  p50 %7.2f ms  %5.1f %%", names[k], mean,
          n == 0 ? Double.NaN : s[n / 2] / 1e6, 100.0 * Arrays.stream(s).sum() / Math.max(1, total)));
    }
    // the overlay is encoded on the writer's own thread, beside the stages above
    println(out, String.format(Locale.ROOT, "    %-16s mean %7.2f ms  (on the overlay writer's own thread)",
        "overlay encode", overlay.encodeNanos() / 1e6 / Math.max(1, overlay.written())));
    for (int batch : batches) {
      if (batch <= 1 || prepared.size() < batch) {
        continue;
      }
      List<Prepared> b = prepared.subList(0, batch);
      model.greedy(b);
      int calls = Math.max(1, prepared.size() / batch);
      long t0 = System.nanoTime();
      for (int c = 0; c < calls; c++) {
        model.greedy(b);
      }
      println(out, String.format(Locale.ROOT, "    policy at batch %d: %.2f ms per frame", batch,
          (System.nanoTime() - t0) / 1e6 / calls / batch));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void println(PrintWriter w, String line) {
    w.println(line);
    w.flush();
  }
}
