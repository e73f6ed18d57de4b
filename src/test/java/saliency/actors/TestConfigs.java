package saliency.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;

/** Configs for actor tests: single-node cluster on a free port, small TF dispatcher, quiet logs; a local system. */
public final class TestConfigs {
  private TestConfigs() {}

  /** A single-node cluster config with {@code overrides} (HOCON) on top of application.conf. */
  public static Config cluster(Path runDir, String overrides) {
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.parseString(
            "pekko.remote.artery.canonical.port = 0\n"
                + "pekko.loglevel = WARNING\n"
                + "pekko.cluster.jmx.enabled = off\n"
                + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                + "pekko.cluster.sharding.distributed-data.durable.keys = []\n"
                + "saliency.run-dir = \"" + runDir.toString().replace("\\", "/") + "\"\n"
                + "saliency.policy.resubscribe-interval = 300ms\n"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** A local (no cluster) typed actor system named {@code name} on application.conf, with quiet logs. */
  public static org.apache.pekko.actor.typed.ActorSystem<Void> localSystem(String name) {
    return org.apache.pekko.actor.typed.ActorSystem.create(
        org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), name,
        ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING")
            .withFallback(ConfigFactory.load()));
  }
}
