package saliency.actors.learner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;

/**
 * How many gradient slices per second one learner slice absorbs: one {@link LearnerShard} in a local actor system,
 * fed by a driver that keeps a fixed number of gradient slices in flight (each sent at the slice's latest version, so
 * none is stale), with one subscriber taking its publications. Every accepted slice is a step (Adam, publication, a
 * checkpoint every {@code checkpoint-every} steps) under the learner settings given. Stateless.
 */
public final class LearnerBench {
  private LearnerBench() {}

  /**
   * What the slice did in the measured time.
   *
   * @param slicesPerSecond gradient slices accepted per second
   * @param floatsPerSlice length of the slice
   * @param accepted slices accepted in the measured time
   * @param seconds measured wall clock
   * @param versions slice versions gained in the measured time
   */
  public record Result(double slicesPerSecond, int floatsPerSlice, long accepted, double seconds, long versions) {}

  /**
   * Measures slice 0 of {@code layout} under {@code settings} for {@code seconds} after {@code warmup} seconds, with
   * {@code window} gradient slices in flight. {@code config} gives the actor system's settings (it runs with the local
   * provider).
   */
  public static Result absorb(Config config, SliceLayout layout, SaliencySettings.Learner settings, int window,
      double warmup, double seconds) throws Exception {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(settings, "settings");
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, got " + window);
    }
    int length = layout.length(0);
    Random rnd = new Random(1);
    float[] weights = new float[length];
    float[] grad = new float[length];
    for (int i = 0; i < length; i++) {
      weights[i] = (float) (0.05 * rnd.nextGaussian());
      grad[i] = (float) (1e-3 * rnd.nextGaussian());
    }
    Path runDir = Files.createTempDirectory("bench-learner");
    Config local = ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING\n")
        .withFallback(config);
    ActorSystem<LearnerShard.Command> system = ActorSystem.create(
        LearnerShard.create(0, layout, settings, runDir, Integer.MAX_VALUE, false), "bench-learner", local);
    AtomicLong accepted = new AtomicLong();
    AtomicLong version = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch drained = new CountDownLatch(1);
    try {
      system.tell(new LearnerShard.Initialize(weights, null));
      ActorRef<LearnerShard.SlicePublished> subscriber =
          system.systemActorOf(Behaviors.<LearnerShard.SlicePublished>ignore(), "publications", Props.empty());
      system.tell(new LearnerShard.Subscribe(subscriber));
      system.systemActorOf(driver(system, grad, window, accepted, version, stop, drained), "driver", Props.empty());
      Thread.sleep((long) (warmup * 1000));
      long a0 = accepted.get();
      long v0 = version.get();
      long t0 = System.nanoTime();
      Thread.sleep((long) (seconds * 1000));
      long a1 = accepted.get();
      long v1 = version.get();
      double el = (System.nanoTime() - t0) / 1e9;
      stop.set(true);
      drained.await(30, TimeUnit.SECONDS);
      return new Result((a1 - a0) / el, length, a1 - a0, el, v1 - v0);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(runDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** Keeps {@code window} slices in flight, each at the latest version replied, until {@code stop}. */
  private static Behavior<LearnerShard.GradientProcessed> driver(ActorRef<LearnerShard.Command> shard, float[] grad,
      int window, AtomicLong accepted, AtomicLong version, AtomicBoolean stop, CountDownLatch drained) {
    return Behaviors.setup(ctx -> {
      for (int i = 0; i < window; i++) {
        shard.tell(new LearnerShard.GradientSlice(0, grad, 0, 1, ctx.getSelf()));
      }
      int[] inFlight = {window};
      return Behaviors.receiveMessage(p -> {
        inFlight[0]--;
        if (p.outcome() == LearnerShard.Outcome.ACCEPTED) {
          accepted.incrementAndGet();
        }
        version.set(p.version());
        if (!stop.get()) {
          shard.tell(new LearnerShard.GradientSlice(0, grad, p.version(), 1, ctx.getSelf()));
          inFlight[0]++;
        } else if (inFlight[0] == 0) {
          drained.countDown();
        }
        return Behaviors.same();
      });
    });
  }
}
