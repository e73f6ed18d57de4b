package saliency.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saliency.actors.serialization.Registrations;

/**
 * The config of one cluster node: {@code multi-node.conf} under the node's address, seed nodes, roles and run folder.
 *
 * @param host the address this node binds to and that other nodes reach it at
 * @param port its Artery TCP port (0: any free port)
 * @param seeds seed nodes as {@code HOST:PORT}; this node joins the first that answers (itself when listed first)
 * @param roles the node's cluster roles ({@link #LEARNER}, {@link #POLICY}, or others)
 * @param runDir the run folder (learner slices checkpoint under it), or null for the config's
 */
public record NodeConfig(String host, int port, List<String> seeds, List<String> roles, Path runDir) {
  /** The actor system name every node of a saliency cluster uses. */
  public static final String SYSTEM = "saliency";
  /** The role of nodes that host learner slices. */
  public static final String LEARNER = "learner";
  /** The role of nodes that run policy actors. */
  public static final String POLICY = "policy";

  public NodeConfig {
    Objects.requireNonNull(host, "host");
    seeds = List.copyOf(seeds);
    roles = List.copyOf(roles);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("at least one seed node (HOST:PORT) is needed");
    }
    for (String s : seeds) {
      seedAddress(s);
    }
  }

  /** The environment variable that holds the password of the {@code --tls} key store. */
  public static final String TLS_PASSWORD_ENV = "SALIENCY_TLS_PASSWORD";

  /**
   * Artery over TLS ({@code tls-tcp}, TLS 1.3, mutual authentication) with {@code keyStore}, a PKCS12 file that holds
   * this node's key and certificate and serves as its trust store too: nodes whose key stores hold the same
   * certificate form a cluster, a node with any other certificate cannot connect. Put it over {@link #toConfig()}.
   * An error names the file when it cannot be read.
   */
  public static Config tls(Path keyStore, String password) {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(password, "password");
    if (!java.nio.file.Files.isReadable(keyStore)) {
      throw new IllegalArgumentException("TLS key store not readable: " + keyStore);
    }
    String path = keyStore.toAbsolutePath().toString();
    String engine = "pekko.remote.artery.ssl.config-ssl-engine.";
    return ConfigFactory.empty()
        .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
        .withValue(engine + "key-store", ConfigValueFactory.fromAnyRef(path))
        .withValue(engine + "trust-store", ConfigValueFactory.fromAnyRef(path))
        .withValue(engine + "key-store-password", ConfigValueFactory.fromAnyRef(password))
        .withValue(engine + "key-password", ConfigValueFactory.fromAnyRef(password))
        .withValue(engine + "trust-store-password", ConfigValueFactory.fromAnyRef(password))
        .withValue(engine + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true));
  }

  /**
   * {@code config} with {@link #tls} over it when {@code keyStore} is given (its password from the environment
   * variable {@value #TLS_PASSWORD_ENV}), else {@code config} as it is; an error names the variable when it is unset.
   */
  public static Config withTls(Config config, Path keyStore) {
    if (keyStore == null) {
      return config;
    }
    String password = System.getenv(TLS_PASSWORD_ENV);
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("--tls " + keyStore + ": set the key store's password in the environment "
          + "variable " + TLS_PASSWORD_ENV);
    }
    return tls(keyStore, password).withFallback(config);
  }

  /** {@code pekko://saliency@HOST:PORT} for {@code HOST:PORT}; an error naming the seed when it is not of that form. */
  public static String seedAddress(String hostPort) {
    Objects.requireNonNull(hostPort, "hostPort");
    int colon = hostPort.lastIndexOf(':');
    String host = colon > 0 ? hostPort.substring(0, colon) : "";
    int port;
    try {
      port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : -1;
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isBlank() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("seed node must be HOST:PORT with a port in [1, 65535]: '" + hostPort + "'");
    }
    return "pekko://" + SYSTEM + "@" + host + ":" + port;
  }

  /**
   * This node's settings on top of {@code multi-node.conf} (and system properties), resolved, with its Kryo
   * registration list (checked when it joins, see {@link Registrations}).
   */
  public Config toConfig() {
    List<String> seedAddresses = new ArrayList<>();
    for (String s : seeds) {
      seedAddresses.add(seedAddress(s));
    }
    Config own = ConfigFactory.empty()
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedAddresses))
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles));
    if (runDir != null) {
      own = own.withValue("saliency.run-dir", ConfigValueFactory.fromAnyRef(runDir.toString()));
    }
    return Registrations.withRegistrations(own.withFallback(ConfigFactory.load("multi-node")).resolve());
  }
}
