package saliency.actors.learner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The history of one learner slice in the run folder ({@code <run-dir>/learner/slice-NNNNN.history}), one line per
 * event: {@code EPOCH_MILLIS NODE EVENT VERSION [FROM]}, where EVENT is {@code init} (seeded at version 0),
 * {@code restored} (restored checkpoint version FROM as VERSION), {@code update} (an Adam step made VERSION) or
 * {@code checkpoint} (VERSION written). Appended by the slice's entity on whichever node hosts it; every learner node
 * of a run appends to the same file (the run folder is shared), so the file tells where the slice lived, when it moved,
 * what it restored and which updates a lost node took with it. Immutable values; the static methods hold no state.
 *
 * <p>A line is appended with one write, so a node killed mid-write leaves at most a torn last line, which
 * {@link #read} skips.
 */
public record SliceHistory(long millis, String node, Event event, long version, long from) {

  /** What happened to the slice. */
  public enum Event {
    INIT,
    RESTORED,
    UPDATE,
    CHECKPOINT
  }

  public SliceHistory {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(event, "event");
  }

  /** The history file of slice {@code slice} under a run directory. */
  public static Path file(Path runDir, int slice) {
    return runDir.resolve("learner").resolve(String.format(Locale.ROOT, "slice-%05d.history", slice));
  }

  /** Appends one event line to {@code file} (its folder is created when missing). */
  static void append(Path file, String node, Event event, long version, long from) throws IOException {
    String line = System.currentTimeMillis() + " " + node + " " + event.name().toLowerCase(Locale.ROOT) + " "
        + version + (event == Event.RESTORED ? " " + from : "") + "\n";
    Files.createDirectories(file.getParent());
    Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  /** The events of {@code file} in order (empty when it does not exist); torn or unknown lines are skipped. */
  public static List<SliceHistory> read(Path file) throws IOException {
    List<SliceHistory> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.trim().split(" ");
      if (f.length < 4) {
        continue;
      }
      try {
        Event e = Event.valueOf(f[2].toUpperCase(Locale.ROOT));
        if (e == Event.RESTORED && f.length < 5) {
          continue;
        }
        out.add(new SliceHistory(Long.parseLong(f[0]), f[1], e, Long.parseLong(f[3]),
            e == Event.RESTORED ? Long.parseLong(f[4]) : -1));
      } catch (IllegalArgumentException ex) {
        // a torn last line of a killed node
      }
    }
    return out;
  }
}
