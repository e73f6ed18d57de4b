package saliency.actors.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import saliency.actors.learner.SliceHistory;

/**
 * What the loss of learner node {@code lost} did to one learner slice it hosted, read from the slice's
 * {@link SliceHistory}: the checkpoint version the slice was restored from on another node, the last version the lost
 * node had applied, and the first update applied after the restore; immutable, made by the driver of a clustered run.
 *
 * @param slice the slice index
 * @param lastLost the highest version the lost node applied to this slice
 * @param checkpoint the checkpoint version the slice was restored from
 * @param restoredAs the version the restored slice continued from
 * @param restoredOn the node that restored it
 * @param firstUpdateMillis when the first update after the restore was applied (epoch ms), or -1 when none was
 */
record SliceRecovery(int slice, long lastLost, long checkpoint, long restoredAs, String restoredOn,
    long firstUpdateMillis) {
  SliceRecovery {
    Objects.requireNonNull(restoredOn, "restoredOn");
  }

  /** The updates the lost node applied after the checkpoint the slice was restored from. */
  long updatesLost() {
    return Math.max(0, lastLost - checkpoint);
  }

  /**
   * The slices of a {@code slices}-slice run under {@code runDir} that node {@code lost} hosted and that another node
   * restored after {@code sinceMillis}.
   */
  static List<SliceRecovery> read(Path runDir, int slices, String lost, long sinceMillis) throws IOException {
    Objects.requireNonNull(lost, "lost");
    List<SliceRecovery> out = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      List<SliceHistory> h = SliceHistory.read(SliceHistory.file(runDir, i));
      long lastLost = -1;
      SliceHistory restored = null;
      long firstUpdate = -1;
      for (SliceHistory e : h) {
        if (restored == null && e.node().equals(lost) && e.event() == SliceHistory.Event.UPDATE) {
          lastLost = Math.max(lastLost, e.version());
        } else if (restored == null && lastLost >= 0 && e.event() == SliceHistory.Event.RESTORED
            && !e.node().equals(lost) && e.millis() >= sinceMillis) {
          restored = e;
        } else if (restored != null && e.event() == SliceHistory.Event.UPDATE && firstUpdate < 0) {
          firstUpdate = e.millis();
        }
      }
      if (restored != null) {
        out.add(new SliceRecovery(i, lastLost, restored.from(), restored.version(), restored.node(), firstUpdate));
      }
    }
    return out;
  }

  /**
   * One line of figures for the driver's output: slices moved, seconds from {@code unreachableMillis} to the first
   * update applied by a moved slice, and the updates lost per moved slice against {@code checkpointEvery}.
   */
  static String describe(String lost, long unreachableMillis, List<SliceRecovery> moved, int checkpointEvery) {
    if (moved.isEmpty()) {
      return "cluster: recovery: no learner slice of " + lost + " was restored elsewhere";
    }
    long first = moved.stream().mapToLong(SliceRecovery::firstUpdateMillis).filter(t -> t >= 0).min().orElse(-1);
    String firstText = first < 0 ? "no moved slice applied an update yet"
        : String.format(Locale.ROOT, "first update applied by a moved slice %.1f s after the node went unreachable",
            (first - unreachableMillis) / 1000.0);
    return "cluster: recovery: " + moved.size() + " learner slice(s) of " + lost + " restored from their checkpoints"
        + " (" + moved.stream().map(m -> "slice " + m.slice() + ": checkpoint " + m.checkpoint() + " as version "
            + m.restoredAs() + " on " + m.restoredOn()).collect(Collectors.joining(", ")) + "); " + firstText
        + "; updates lost " + moved.stream().map(m -> Long.toString(m.updatesLost()))
            .collect(Collectors.joining(",", "[", "]")) + " (at most checkpoint-every = " + checkpointEvery
        + " per slice)";
  }
}
