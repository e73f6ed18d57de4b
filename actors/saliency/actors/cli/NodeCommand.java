package saliency.actors.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import saliency.actors.cluster.ClusterNode;
import saliency.actors.cluster.NodeConfig;
import saliency.actors.settings.SaliencySettings;

/**
 * {@code node}: starts one cluster node from {@code multi-node.conf} and keeps it up until SIGTERM or SIGINT, which
 * leave the cluster gracefully (coordinated shutdown: its learner shards hand off) and exit 0. Holds only its options.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Start one cluster node (Artery TCP) that joins the seed nodes and hosts learner slices when it "
        + "has role learner; runs until SIGTERM/SIGINT, then leaves the cluster gracefully. Prints a line when the "
        + "node is Up and one per member event. A policy node trains when a driver (train --cluster) starts a run.")
final class NodeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", required = true, description = "Artery TCP port of this node")
  int port;

  @Option(names = "--seeds", required = true, split = ",", paramLabel = "HOST:PORT",
      description = "seed nodes, comma-separated; list the same seeds in the same order on every node (the first "
          + "seed forms the cluster when it is started with itself listed first)")
  List<String> seeds;

  @Option(names = "--roles", split = ",", defaultValue = "learner,policy",
      description = "cluster roles: learner (hosts learner slices), policy (default ${DEFAULT-VALUE})")
  List<String> roles;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "address to bind and to be reached at; a real host name for a multi-machine cluster "
          + "(default ${DEFAULT-VALUE}: loopback)")
  String host;

  @Option(names = "--run-dir", description = "run folder (learner slices checkpoint under it); on several machines "
      + "a folder every learner node can reach (default: saliency.run-dir)")
  Path runDir;

  @Option(names = "--tls", paramLabel = "KEYSTORE", description = "Artery over TLS (tls-tcp, mutual authentication) "
      + "with this PKCS12 key store, also the trust store: only nodes with the same certificate connect; its password "
      + "in the environment variable " + NodeConfig.TLS_PASSWORD_ENV + " (default: plain TCP)")
  Path tls;

  @Option(names = "--parameters", description = "also host the default learner entity type with slices of a policy "
      + "of this many flat parameters (the same on every node); not needed for train --cluster, whose driver sends "
      + "each run's layout")
  Integer parameters;

  @Override
  public Integer call() throws Exception {
    for (String r : roles) {
      if (r.isBlank()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--roles has an empty role");
      }
    }
    if (parameters != null && parameters < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--parameters must be >= 1: " + parameters);
    }
    NodeConfig node;
    try {
      node = new NodeConfig(host, port, seeds, roles, runDir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    com.typesafe.config.Config config;
    try {
      config = NodeConfig.withTls(node.toConfig(), tls);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    SaliencySettings settings = SaliencySettings.fromConfig(config);
    ActorSystem<ClusterNode.Command> system = ActorSystem.create(
        ClusterNode.create(settings, Optional.ofNullable(parameters).map(settings::layout), NodeCommand::say),
        NodeConfig.SYSTEM, config);
    say("node started: pekko://" + NodeConfig.SYSTEM + "@" + host + ":" + port + " roles=" + String.join(",", roles)
        + ", joining " + String.join(",", seeds) + (tls != null ? " over TLS" : ""));
    boolean signals = leaveOnSignal(system, "TERM") & leaveOnSignal(system, "INT");
    if (!signals) {
      say("node: no signal handler; SIGTERM ends the node through the JVM shutdown hook instead");
    }
    system.getWhenTerminated().toCompletableFuture().join();
    Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(system).getShutdownReason();
    boolean asked = reason.isPresent() && reason.get() == CoordinatedShutdown.jvmExitReason();
    say("node stopped: " + (asked ? "left the cluster"
        : reason.map(Object::toString).orElse("actor system terminated")));
    return asked ? 0 : 1;
  }

  /**
   * Makes signal {@code name} run coordinated shutdown (leave the cluster, hand off shards, terminate the system);
   * false when the JVM does not allow a handler.
   */
  private static boolean leaveOnSignal(ActorSystem<?> system, String name) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
        say("node: SIG" + name + ", leaving the cluster");
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.jvmExitReason());
        watchStop(system);
      });
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      return false;
    }
  }

  /** Longest wait for the system to terminate after a stop signal. */
  static final Duration STOP_BOUND = Duration.ofSeconds(90);

  /**
   * Exits the JVM with status 1 when the system has not terminated {@link #STOP_BOUND} after a stop signal (its
   * shards have handed off and checkpointed by then; seen with an outbound TLS connection whose handshake a peer
   * refused, which never finished closing: Artery waits for its streams without a deadline, apache/pekko#3247), so
   * that a stopped node never hangs.
   */
  private static void watchStop(ActorSystem<?> system) {
    Thread t = new Thread(() -> {
      try {
        system.getWhenTerminated().toCompletableFuture().get(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        say("node: not stopped " + STOP_BOUND.toSeconds() + " s after the signal; exiting");
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // terminated with a failure: the node's own exit path reports it
      }
    }, "node-stop-watch");
    t.setDaemon(true);
    t.start();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
