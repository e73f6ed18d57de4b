package saliency.actors.train;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import saliency.model.data.DataPosition;

/**
 * Where an online run stands, saved in its run folder as {@code progress.properties} (written atomically): the data
 * position of the next training example, the samples trained and the RL seconds spent so far; an immutable value.
 *
 * @param position the training iterator's position after the last example pulled (examples pulled but not yet trained
 *     when the run stopped are not seen again)
 * @param samples samples trained over all sessions of the run
 * @param seconds RL wall-clock seconds over all sessions of the run
 */
public record RunProgress(DataPosition position, long samples, double seconds) {
  public static final String FILE = "progress.properties";

  public RunProgress {
    java.util.Objects.requireNonNull(position, "position");
    if (samples < 0 || !(seconds >= 0)) {
      throw new IllegalArgumentException("progress must be non-negative: samples " + samples + ", seconds " + seconds);
    }
  }

  public static final RunProgress START = new RunProgress(DataPosition.START, 0, 0);

  /**
   * Writes {@code <runDir>/progress.properties} atomically (temp file, then rename); when that fails the temporary
   * file is removed and the previous progress is left as it was.
   */
  public void write(Path runDir) throws IOException {
    Files.createDirectories(runDir);
    Properties p = new Properties();
    p.setProperty("epoch", Long.toString(position.epoch()));
    p.setProperty("index", Integer.toString(position.index()));
    p.setProperty("samples", Long.toString(samples));
    p.setProperty("seconds", Double.toString(seconds));
    Path tmp = Files.createTempFile(runDir, FILE, ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp)) {
        p.store(w, "online training progress");
      }
      Files.move(tmp, runDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp); // a full disk leaves no temporary file; the previous progress stays
      throw e;
    }
  }

  /** Reads the progress of a run folder; empty when it has none; a malformed file is an error naming it. */
  public static Optional<RunProgress> read(Path runDir) throws IOException {
    Path f = runDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f)) {
      p.load(r);
    }
    try {
      return Optional.of(new RunProgress(
          new DataPosition(Long.parseLong(get(p, "epoch", f)), Integer.parseInt(get(p, "index", f))),
          Long.parseLong(get(p, "samples", f)), Double.parseDouble(get(p, "seconds", f))));
    } catch (IllegalArgumentException e) {
      throw new IOException(f + ": bad progress file: " + e.getMessage(), e);
    }
  }

  private static String get(Properties p, String key, Path f) throws IOException {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IOException(f + ": missing key '" + key + "'");
    }
    return v.trim();
  }
}
