package saliency.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import saliency.model.text.Task;

/**
 * The run folder's record of the tasks its training stream mixes ({@value #FILE}, one line {@code tasks=SPEC} in
 * {@link TaskMix#parse} form); stateless.
 */
public final class TaskFile {
  /** The file in the run folder. */
  public static final String FILE = "tasks.properties";

  private TaskFile() {}

  /** Writes {@code tasks} into {@code runDir} atomically (temporary file, then rename). */
  public static void write(Path runDir, TaskMix tasks) throws IOException {
    Objects.requireNonNull(tasks, "tasks");
    Files.createDirectories(runDir);
    Path tmp = Files.createTempFile(runDir, FILE, ".tmp");
    Files.writeString(tmp, "tasks=" + tasks + "\n");
    Files.move(tmp, runDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The tasks recorded in {@code runDir}; SOD alone when there is no record (folders written before tasks were
   * recorded trained SOD).
   *
   * @throws IOException naming the file when it cannot be read or holds no valid {@code tasks=} line
   */
  public static TaskMix read(Path runDir) throws IOException {
    Path f = runDir.resolve(FILE);
    if (!Files.exists(f)) {
      return TaskMix.sod();
    }
    for (String line : Files.readAllLines(f)) {
      if (line.startsWith("tasks=")) {
        try {
          return TaskMix.parse(line.substring("tasks=".length()));
        } catch (IllegalArgumentException e) {
          throw new IOException(f + ": " + e.getMessage(), e);
        }
      }
    }
    throw new IOException(f + ": no tasks= line");
  }

  /**
   * The one task a folder dataset trains: a folder holds one kind of ground truth, so only a single region task (sod,
   * or cod for a COD10K-layout folder) can train on it.
   *
   * @throws IllegalArgumentException naming the folder otherwise
   */
  public static Task folderTask(TaskMix tasks, Path data) {
    if (tasks.tasks().size() != 1 || tasks.tasks().get(0) == Task.SIS || tasks.tasks().get(0) == Task.COSOD) {
      throw new IllegalArgumentException("--tasks " + tasks + " with --data " + data + ": a folder trains one region "
          + "task (sod or cod); mixed tasks, sis and cosod train on synthetic scenes");
    }
    return tasks.tasks().get(0);
  }
}
