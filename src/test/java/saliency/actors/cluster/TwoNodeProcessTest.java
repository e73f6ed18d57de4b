package saliency.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Address;
import org.apache.pekko.pattern.Patterns;
import scala.concurrent.duration.FiniteDuration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.MainProcess;
import saliency.actors.learner.LearnerShard;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;

/**
 * Two {@code node} processes (JVMs of their own) on loopback form a cluster; the learner slices' shards spread over
 * both (seen from a third, role-less ActorSystem in the test that joins as a client); SIGTERM makes one leave
 * gracefully, exit 0, and hand its shards to the other.
 */
class TwoNodeProcessTest {
  static final int PARAMETERS = 10_000;
  static final long UP_SECONDS = 90;

  @TempDir Path dir;

  @Test
  void twoNodesShareTheLearnerShardsAndOneLeavesOnSigterm() throws Exception {
    int portA = NodeProcess.freePort();
    int portB = NodeProcess.freePort();
    String seeds = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    MainProcess a = start(portA, seeds);
    MainProcess b = null;
    ActorTestKit client = null;
    try {
      b = start(portB, seeds);
      a.await(l -> l.startsWith("node up: "), UP_SECONDS);
      b.await(l -> l.startsWith("node up: "), UP_SECONDS);
      Address addrA = address(portA);
      Address addrB = address(portB);
      a.await(l -> l.equals("member up: " + addrB + " roles=learner,policy"), 30);

      Config config = new NodeConfig("127.0.0.1", 0, List.of(seeds.split(",")), List.of(), dir.resolve("run"))
          .toConfig();
      config = ConfigFactory.parseString("pekko.loglevel = WARNING\n"
              + "pekko.cluster.jmx.enabled = off\n"
              + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n")
          .withFallback(config).resolve();
      client = ActorTestKit.create(NodeConfig.SYSTEM, config);
      ActorTestKit k = client;
      SaliencySettings settings = SaliencySettings.fromConfig(config);
      SliceLayout layout = settings.layout(PARAMETERS);
      LearnerShard.initSharding(k.system(), settings, layout, Optional.of(NodeConfig.LEARNER));
      TestProbe<Object> wait = k.createTestProbe();
      // the first slices may all land on one node (allocated before the other's region registered): the coordinator
      // rebalances them
      wait.awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(1000), () -> {
        touchEverySlice(k, layout);
        Map<Address, ShardRegion.ShardRegionStats> regions = stats(k, addrA).getRegions();
        String seen = "shards " + regions + ", client sees " + Cluster.get(k.system()).state().getMembers();
        assertEquals(layout.slices(), shards(regions, addrA) + shards(regions, addrB), seen);
        assertTrue(shards(regions, addrA) > 0 && shards(regions, addrB) > 0, "spread over both nodes: " + seen);
        return null;
      });

      b.process().destroy(); // SIGTERM
      assertTrue(b.process().waitFor(60, TimeUnit.SECONDS), "node B exits after SIGTERM: " + b.output());
      assertEquals(0, b.process().exitValue(), "node B's exit status: " + b.output());
      assertTrue(b.output().contains("node stopped: left the cluster"), b.output());
      a.await(l -> l.equals("member removed: " + addrB + " roles=learner,policy"), 30);

      // B's shards moved to A: every slice answers again, all hosted on A
      wait.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(500), () -> {
        touchEverySlice(k, layout);
        Map<Address, ShardRegion.ShardRegionStats> regions = stats(k, addrA).getRegions();
        assertEquals(layout.slices(), shards(regions, addrA), "all shards on A: " + regions);
        return null;
      });
    } finally {
      if (client != null) {
        client.shutdownTestKit();
      }
      a.process().destroyForcibly();
      if (b != null) {
        b.process().destroyForcibly();
      }
    }
  }

  private MainProcess start(int port, String seeds) throws IOException {
    return NodeProcess.start(port, seeds, dir.resolve("run"), "--parameters", Integer.toString(PARAMETERS),
        "--run-dir", dir.resolve("run").toString());
  }

  private static Address address(int port) {
    return new Address("pekko", NodeConfig.SYSTEM, "127.0.0.1", port);
  }

  /** Asks every slice for its stats (so that its shard is allocated) and waits for every answer. */
  private static void touchEverySlice(ActorTestKit k, SliceLayout layout) throws Exception {
    for (int i = 0; i < layout.slices(); i++) {
      LearnerShard.Stats s = LearnerShard.entityRef(k.system(), i)
          .<LearnerShard.Stats>ask(LearnerShard.GetStats::new, Duration.ofSeconds(5))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(i, s.sliceIndex());
    }
  }

  /**
   * The cluster-wide shard placement, asked of node A's shard region (a proxy answers it with an empty map).
   */
  private static ShardRegion.ClusterShardingStats stats(ActorTestKit k, Address node) throws Exception {
    ActorSelection region = k.system().classicSystem().actorSelection(
        node + "/system/sharding/" + LearnerShard.TYPE_KEY.name());
    Object reply = Patterns.ask(region,
        new ShardRegion.GetClusterShardingStats(FiniteDuration.create(5, TimeUnit.SECONDS)), Duration.ofSeconds(10))
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    return (ShardRegion.ClusterShardingStats) reply;
  }

  /** Entities (slices) hosted on the region at {@code address}. */
  private static int shards(Map<Address, ShardRegion.ShardRegionStats> regions, Address address) {
    ShardRegion.ShardRegionStats s = regions.get(address);
    return s == null ? 0 : s.getStats().values().stream().mapToInt(v -> ((Number) v).intValue()).sum();
  }
}
