package saliency.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Objects;
import saliency.actors.settings.SliceLayout;

/**
 * What the driver of a clustered run tells every node before the run starts, in place of per-node options: the run's
 * id, the learner's slice layout, the run folder, the training settings and the driver's learner and pipeline config;
 * immutable, made by the driver.
 *
 * @param runId names the run's learner entity type ({@code learner-slice-RUN}); letters, digits, '-' and '_'
 * @param parameterCount P, the policy's flat parameter count
 * @param slices N, the learner's slice count (every node uses this layout, whatever its own config would give)
 * @param runDir the run folder, absolute; learner slices checkpoint under it (on several machines a shared folder)
 * @param settings the text of the run's {@code settings.properties}
 * @param config HOCON of the driver's {@code saliency.learner}, {@code saliency.pipeline} and {@code saliency.rl} blocks
 * @param data the training data: an absolute folder, or {@code synthetic}
 */
public record RunLayout(String runId, int parameterCount, int slices, String runDir, String settings, String config,
    String data) {
  public RunLayout {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(data, "data");
    new SliceLayout(parameterCount, slices);
  }

  /** The slice layout. */
  public SliceLayout sliceLayout() {
    return new SliceLayout(parameterCount, slices);
  }

  /** HOCON of the learner, pipeline and RL blocks of {@code config}, to send as {@link #config()}. */
  public static String driverConfig(Config config) {
    return ConfigFactory.empty()
        .withValue("saliency.learner", config.getValue("saliency.learner"))
        .withValue("saliency.pipeline", config.getValue("saliency.pipeline"))
        .withValue("saliency.rl", config.getValue("saliency.rl"))
        .root().render(com.typesafe.config.ConfigRenderOptions.concise());
  }

  /** A node's config for this run: the driver's learner, pipeline and RL blocks and the run folder over {@code node}. */
  public Config nodeConfig(Config node) {
    return ConfigFactory.parseString(config)
        .withValue("saliency.run-dir", ConfigValueFactory.fromAnyRef(runDir))
        .withFallback(node)
        .resolve();
  }
}
