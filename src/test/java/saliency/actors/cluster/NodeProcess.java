package saliency.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import saliency.actors.MainProcess;

/** Starts {@code node} processes for the cluster tests (tests only; each is a {@link MainProcess}). */
final class NodeProcess {
  private NodeProcess() {}

  /**
   * Starts {@code node --port PORT --seeds SEEDS ARGS...} in a JVM of its own, logging to
   * {@code logDir/node-PORT.log}; skips the test when no process can be started.
   */
  static MainProcess start(int port, String seeds, Path logDir, String... args) throws IOException {
    return start(port, seeds, logDir, List.of(), args);
  }

  /** As {@link #start(int, String, Path, String...)} with further JVM options (system properties) first. */
  static MainProcess start(int port, String seeds, Path logDir, List<String> jvm, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("node", "--port", Integer.toString(port), "--seeds", seeds));
    cmd.addAll(List.of(args));
    List<String> options = new ArrayList<>(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-Dpekko.cluster.jmx.enabled=off", "-Dpekko.loglevel=WARNING"));
    options.addAll(jvm);
    return MainProcess.start(logDir.resolve("node-" + port + ".log"), options, cmd);
  }

  /** A TCP port free at the time of the call. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * The config of a run's driver in the test JVM, joining the nodes at {@code seeds} with role driver, for run folder
   * {@code run}: 4 learner slices, a checkpoint every 2 updates, batches of 8; {@code extra} overrides it.
   */
  static Config driverConfig(String seeds, Path run, String extra) {
    return ConfigFactory.parseString(extra)
        .withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING\n"
            + "pekko.cluster.jmx.enabled = off\n"
            + "saliency.learner { slices = 4, checkpoint-every = 2, accumulate = 1 }\n"
            + "saliency.pipeline { gradient-batch = 8, sample-batch = 8 }\n"))
        .withFallback(new NodeConfig("127.0.0.1", 0, List.of(seeds.split(",")), List.of(ClusterTraining.DRIVER),
            run).toConfig())
        .resolve();
  }
}
