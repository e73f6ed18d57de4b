package saliency.actors.train;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Wake-ups of a run driver's thread: one each period from the actor system's scheduler, and one as soon as a watched
 * stage completes, so the driver blocks until something may have changed; the driver's thread owns it, the
 * scheduler and the stages only wake it.
 */
public final class Wakeups implements AutoCloseable {
  /** At most one wake-up waits: ticks that come while the driver is busy make one. */
  private final BlockingQueue<Boolean> pending = new ArrayBlockingQueue<>(1);
  private final Cancellable ticks;

  /** Wakes the driver every {@code period} from {@code system}'s scheduler, the first time one period from now. */
  public Wakeups(ActorSystem<?> system, Duration period) {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(period, "period");
    ticks = system.scheduler().scheduleAtFixedRate(period, period, this::wake, system.executionContext());
  }

  /** The period of a driver that reports every {@code reportEverySeconds}: at most 0.25 s, at least 10 ms. */
  public static Duration period(double reportEverySeconds) {
    return Duration.ofMillis(Math.max(10, (long) (1000 * Math.min(reportEverySeconds, 0.25))));
  }

  /** Also wakes the driver as soon as {@code stage} completes, normally or not; returns this. */
  public Wakeups on(CompletionStage<?> stage) {
    stage.whenComplete((value, failure) -> wake());
    return this;
  }

  /** Blocks until the next wake-up; returns at once when one came since the last call. */
  public void await() throws InterruptedException {
    pending.take();
  }

  private void wake() {
    pending.offer(Boolean.TRUE);
  }

  /** Stops the periodic wake-ups. */
  @Override
  public void close() {
    ticks.cancel();
  }
}
