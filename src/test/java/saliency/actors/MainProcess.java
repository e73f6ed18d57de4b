package saliency.actors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One command of {@code saliency.actors.cli.Main} in a JVM of its own, on the tests' class path, with its output
 * (stdout and stderr together) in a log file; owns the process (tests only).
 */
public final class MainProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private MainProcess(Process process, Path log) {
    this.process = Objects.requireNonNull(process, "process");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Starts {@code Main args} with {@code jvmOptions} and {@code TF_CPP_MIN_LOG_LEVEL=2}, writing its output to
   * {@code log}; the test is skipped when no process can be started.
   */
  public static MainProcess start(Path log, List<String> jvmOptions, List<String> args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String classes = Path.of("target", "classes").toAbsolutePath().toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", classes + File.pathSeparator + cp, "saliency.actors.cli.Main"));
    cmd.addAll(args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    try {
      return new MainProcess(pb.start(), log);
    } catch (IOException e) {
      assumeTrue(false, "cannot start a process (" + e.getMessage() + "): skipped");
      throw e;
    }
  }

  /** The file the process writes its output to. */
  public Path log() {
    return log;
  }

  public Process process() {
    return process;
  }

  /** What the process printed so far. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Waits until a printed line matches, failing with the output when the process ends or time runs out. */
  public void await(Predicate<String> line, long seconds) throws InterruptedException {
    await(() -> output().lines().anyMatch(line), "no such line", seconds);
  }

  /**
   * Waits until {@code condition} holds (polled every 20 ms), failing with {@code what} and the output when the process
   * ends first or time runs out.
   */
  public void await(BooleanSupplier condition, String what, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      assertTrue(process.isAlive(), what + ": the process exited with " + (process.isAlive() ? "" : process.exitValue())
          + ": " + output());
      Thread.sleep(20);
    }
    throw new AssertionError(what + " within " + seconds + " s: " + output());
  }

  /** Waits for the process to exit and returns its status, failing with the output after {@code seconds}. */
  public int exitValue(long seconds) throws InterruptedException {
    assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "did not exit within " + seconds + " s: " + output());
    return process.exitValue();
  }

  /** Kills the process (SIGKILL) and waits for it to go. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
