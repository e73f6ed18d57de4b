package saliency.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.learner.SliceHistory;

/** The driver's recovery figures read from slice histories, including a torn last line of a killed node. */
class SliceRecoveryTest {
  static final String A = "pekko://saliency@127.0.0.1:1";
  static final String B = "pekko://saliency@127.0.0.1:2";

  @TempDir Path run;

  private void history(int slice, String text) throws Exception {
    Path f = SliceHistory.file(run, slice);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  @Test
  void movedSlicesGiveTheirCheckpointLostUpdatesAndFirstUpdate() throws Exception {
    history(0, "100 " + B + " init 0\n101 " + B + " checkpoint 0\n102 " + B + " update 1\n103 " + B
        + " update 2\n104 " + B + " checkpoint 2\n105 " + B + " update 3\n106 " + B + " upd"); // torn by the kill
    history(0 + 1, "100 " + A + " init 0\n101 " + A + " checkpoint 0\n102 " + A + " update 1\n"); // never on B
    Files.writeString(SliceHistory.file(run, 0), Files.readString(SliceHistory.file(run, 0)) + "\n2000 " + A
        + " restored 4 2\n2001 " + A + " checkpoint 4\n2500 " + A + " update 5\n2600 " + A + " update 6\n");
    List<SliceHistory> h = SliceHistory.read(SliceHistory.file(run, 0));
    assertEquals(10, h.size(), "the torn line is skipped: " + h);
    assertEquals(new SliceHistory(2000, A, SliceHistory.Event.RESTORED, 4, 2), h.get(6));

    List<SliceRecovery> moved = SliceRecovery.read(run, 2, B, 1500);
    assertEquals(List.of(new SliceRecovery(0, 3, 2, 4, A, 2500)), moved);
    assertEquals(1, moved.get(0).updatesLost());
    String line = SliceRecovery.describe(B, 1000, moved, 2);
    assertTrue(line.contains("first update applied by a moved slice 1.5 s after the node went unreachable"), line);
    assertTrue(line.contains("updates lost [1]"), line);
    assertTrue(SliceRecovery.read(run, 2, B, 2001).isEmpty(), "a restore before the node was lost is not counted");
  }
}
