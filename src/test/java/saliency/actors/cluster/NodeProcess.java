package saliency.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One {@code node} process (a JVM of its own, tests only); its output (stdout and stderr) goes to {@code log}. */
record NodeProcess(Process process, Path log) {
  /**
   * Starts {@code node --port PORT --seeds SEEDS ARGS...} from the test class path, logging to
   * {@code logDir/node-PORT.log}; skips the test when no process can be started.
   */
  static NodeProcess start(int port, String seeds, Path logDir, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String classes = Path.of("target", "classes").toAbsolutePath().toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-cp", classes + File.pathSeparator + cp,
        "-Dpekko.cluster.jmx.enabled=off", "-Dpekko.loglevel=WARNING",
        "saliency.actors.cli.Main", "node", "--port", Integer.toString(port), "--seeds", seeds));
    cmd.addAll(List.of(args));
    Files.createDirectories(logDir);
    Path log = logDir.resolve("node-" + port + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    try {
      return new NodeProcess(pb.start(), log);
    } catch (IOException e) {
      assumeTrue(false, "cannot start a node process (" + e.getMessage() + "): skipped");
      throw e;
    }
  }

  /** A TCP port free at the time of the call. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Waits until a printed line matches, failing with the output when the process ends or time runs out. */
  void await(Predicate<String> line, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (output().lines().anyMatch(line)) {
        return;
      }
      assertTrue(process.isAlive(), "node exited with " + (process.isAlive() ? "" : process.exitValue()) + ": "
          + output());
      Thread.sleep(100);
    }
    throw new AssertionError("no such line within " + seconds + " s: " + output());
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Kills the process (SIGKILL) and waits for it to end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
