package saliency.actors.train;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request from outside a {@link TrainRun} (a JVM shutdown hook on Ctrl-C) to end its RL session early with every
 * checkpoint written; the requester learns whether there is an RL session to wait for and waits for the run to
 * finish. Thread-safe: requested from any thread, entered and finished by the run's thread.
 */
public final class StopSignal {
  private final CountDownLatch finished = new CountDownLatch(1);
  private boolean requested;
  private boolean inRl;
  private String reason = "";

  /**
   * Asks the run to stop. Returns true when an RL session (or its wrap-up) is running: it then stops admitting
   * samples, checkpoints every learner slice and writes {@code policy.ckpt}; wait with {@link #awaitFinished}. False:
   * nothing checkpointable is running (before RL, or already finished).
   */
  public synchronized boolean request(String why) {
    requested = true;
    reason = why;
    return inRl && finished.getCount() > 0;
  }

  /** Whether a stop was requested. */
  public synchronized boolean requested() {
    return requested;
  }

  /** What asked for the stop (empty when none did). */
  public synchronized String reason() {
    return reason;
  }

  /** Called by the run as RL starts; false (do not start it) when a stop was already requested. */
  synchronized boolean enterRl() {
    if (requested) {
      return false;
    }
    inRl = true;
    return true;
  }

  /** Called by the run's owner when the run has returned or thrown; releases {@link #awaitFinished}. */
  public void finish() {
    finished.countDown();
  }

  /** Waits at most {@code timeout} for {@link #finish}; true when the run finished. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
