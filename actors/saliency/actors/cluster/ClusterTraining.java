package saliency.actors.cluster;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.pattern.Patterns;
import scala.concurrent.duration.FiniteDuration;
import org.apache.pekko.cluster.typed.Cluster;
import saliency.actors.learner.LearnerShard;
import saliency.actors.learner.ShardedLearnerClient;
import saliency.actors.serialization.MessageSizeGuard;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;
import saliency.actors.train.OnlineTraining;
import saliency.actors.train.Wakeups;
import saliency.actors.train.RlSession;
import saliency.actors.train.RunProgress;
import saliency.model.policy.PolicyNetwork;
import saliency.model.report.RunReporter;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.RunFolder;
import saliency.model.train.TrainingData;
import saliency.streams.PipelineStats;

/**
 * The driver of a clustered RL session ({@code train --cluster}): joins the cluster as a node of role
 * {@code driver}, waits for the worker nodes, sends them the run's {@link RunLayout}, seeds the run's learner slices,
 * starts every policy node's training, reports cluster-wide progress, stops the nodes when the budget is spent and
 * gathers the final weights from the slices. One instance per {@code train} command; {@link #run} is called once, from
 * the run's thread, and its actor system lives only for that call (the nodes stay up).
 */
public final class ClusterTraining implements RlSession {
  /** The cluster role of a driver node. */
  public static final String DRIVER = "driver";
  /** Progress requests in a row a policy node may leave unanswered before the driver counts it lost. */
  static final int LOST_AFTER_MISSES = 5;
    /** Seconds between the per-node progress lines. */
  static final double NODE_LINE_SECONDS = 10;

  private final int nodes;
  private final Duration joinTimeout;
  private final Consumer<String> log;

  /**
   * @param nodes the worker nodes (driver not counted) that must be Up before the run starts; among them at least one
   *     of role {@code learner} and one of role {@code policy}
   * @param joinTimeout the longest wait for them
   * @param log receives the progress and figure lines
   */
  public ClusterTraining(int nodes, Duration joinTimeout, Consumer<String> log) {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes must be >= 1: " + nodes);
    }
    this.nodes = nodes;
    this.joinTimeout = Objects.requireNonNull(joinTimeout, "joinTimeout");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** A worker node: its address, roles and worker. */
  private record Worker(Address address, Set<String> roles, ActorRef<NodeWorker.Command> ref) {
    String name() {
      return address.toString();
    }
  }

  @Override
  public OnlineTraining.Result run(OnlineTraining.Options options, LongSupplier clock, BooleanSupplier stopRequested,
      TrainingData data, ExampleEncoder encoder, PolicyNetwork initial, RunProgress before, RunReporter reporter,
      OnlineTraining.Listener listener) throws Exception {
    ActorSystem<NodeWorker.Reply> system = ActorSystem.create(Behaviors.ignore(), NodeConfig.SYSTEM, options.config());
    try {
      return new Session(system, options, clock, stopRequested, initial, before, reporter, listener).run();
    } finally {
      system.terminate(); // leaves the cluster; the workers see the driver's lifeline terminate
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** One session's state, on the run's thread. */
  private final class Session {
    private final ActorSystem<NodeWorker.Reply> system;
    private final OnlineTraining.Options options;
    private final LongSupplier clock;
    private final BooleanSupplier stopRequested;
    private final PolicyNetwork initial;
    private final RunProgress before;
    private final RunReporter reporter;
    private final OnlineTraining.Listener listener;
    private final SaliencySettings settings;
    private final Duration ask;

    Session(ActorSystem<NodeWorker.Reply> system, OnlineTraining.Options options, LongSupplier clock,
        BooleanSupplier stopRequested, PolicyNetwork initial, RunProgress before, RunReporter reporter,
        OnlineTraining.Listener listener) {
      this.system = system;
      this.options = options;
      this.clock = clock;
      this.stopRequested = stopRequested;
      this.initial = initial;
      this.before = before;
      this.reporter = reporter;
      this.listener = listener;
      this.settings = SaliencySettings.fromConfig(options.config());
      this.ask = settings.policy().askTimeout();
    }

    OnlineTraining.Result run() throws Exception {
      List<Worker> workers = awaitWorkers();
      String runId = "r" + Long.toString(System.currentTimeMillis(), 36);
      SliceLayout layout = settings.layout(initial.parameterCount());
      MessageSizeGuard guard = new MessageSizeGuard(system, settings.messageSizeLimit(),
          settings.serialization().checkSize());
      log.accept(sizes(layout, guard));
      RunFolder folder = new RunFolder(options.runDir());
      RunLayout run = new RunLayout(runId, layout.parameterCount(), layout.slices(),
          options.runDir().toAbsolutePath().toString(), Files.readString(folder.settingsFile()),
          RunLayout.driverConfig(options.config()), folder.readData().orElse(RunFolder.SYNTHETIC));
      for (Worker w : workers) {
        NodeWorker.RunPrepared p = ask(w.ref(),
            (ActorRef<NodeWorker.RunPrepared> r) -> new NodeWorker.PrepareRun(run, r), ask);
        if (!p.error().isEmpty()) {
          throw new IllegalStateException("cluster: node " + w.name() + " refused run " + runId + ": " + p.error());
        }
      }
      LearnerShard.initSharding(system, LearnerShard.typeKey(runId), SaliencySettings.fromConfig(
          run.nodeConfig(options.config())), layout, Optional.of(NodeConfig.LEARNER));
      awaitLearnerRegions(runId, (int) workers.stream().filter(w -> w.roles().contains(NodeConfig.LEARNER)).count());
      ShardedLearnerClient learner = new ShardedLearnerClient(system, LearnerShard.typeKey(runId), layout, guard, ask);
      long[] seeded = learner.seed(initial.getFlatWeights()).toCompletableFuture().get(2 * ask.toSeconds(),
          TimeUnit.SECONDS);
      log.accept("cluster: run " + runId + ": " + layout.slices() + " learner slices seeded (versions "
          + Arrays.stream(seeded).min().orElse(0) + ".." + Arrays.stream(seeded).max().orElse(0)
          + ")");

      List<Worker> policies = workers.stream().filter(w -> w.roles().contains(NodeConfig.POLICY))
          .sorted(Comparator.comparing(Worker::name)).toList();
      int k = policies.size();
      List<CompletionStage<NodeWorker.TrainingStarted>> starting = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        long share = options.samples() / k + (i < options.samples() % k ? 1 : 0);
        int index = i;
        starting.add(AskPattern.ask(policies.get(i).ref(),
            (ActorRef<NodeWorker.TrainingStarted> r) -> new NodeWorker.StartTraining(runId, index, k,
                options.samples() > 0 ? Math.max(1, share) : 0, system, r), ask.multipliedBy(3), system.scheduler()));
      }
      for (CompletionStage<NodeWorker.TrainingStarted> st : starting) {
        NodeWorker.TrainingStarted s = st.toCompletableFuture().get(4 * ask.toSeconds(), TimeUnit.SECONDS);
        if (!s.error().isEmpty()) {
          stopAll(runId, policies);
          throw new IllegalStateException("cluster: node " + s.node() + " did not start training: " + s.error());
        }
      }
      log.accept("cluster: run " + runId + ": training on " + k + " policy node(s): "
          + policies.stream().map(Worker::name).collect(Collectors.joining(", ")));
      return train(runId, workers, policies, learner, layout);
    }

    /** Marks policy node {@code w} lost: its samples so far stay counted; the others go on. */
    private void lose(String runId, Worker w, String why, List<Worker> policies,
        Map<String, NodeWorker.NodeProgress> latest) {
      if (!policies.remove(w)) {
        return;
      }
      NodeWorker.NodeProgress q = latest.get(w.name());
      if (q != null) {
        latest.put(w.name(), new NodeWorker.NodeProgress(runId, w.name(), false, q.stats(), 0, Double.NaN,
            Double.NaN, q.version(), q.publications(), q.publicationP50Ms(), q.publicationP99Ms()));
      }
      log.accept("cluster: node " + w.name() + " lost (" + why + "); training goes on with " + policies.size()
          + " policy node(s)");
    }

    /**
     * Notes workers that became unreachable ({@code unreachableAt}, epoch ms) or left the membership ({@code removed});
     * a removed policy node is lost at once.
     */
    private void watchMembers(String runId, List<Worker> workers, Map<String, Long> unreachableAt, Set<String> removed,
        List<Worker> policies, Map<String, NodeWorker.NodeProgress> latest, double t) {
      var state = Cluster.get(system).state();
      Set<Address> unreachable = new java.util.HashSet<>();
      state.getUnreachable().forEach(m -> unreachable.add(m.address()));
      Set<Address> members = new java.util.HashSet<>();
      state.getMembers().forEach(m -> {
        if (m.status() != MemberStatus.down() && m.status() != MemberStatus.removed()) {
          members.add(m.address());
        }
      });
      for (Worker w : workers) {
        if (unreachable.contains(w.address()) && !unreachableAt.containsKey(w.name())) {
          unreachableAt.put(w.name(), System.currentTimeMillis());
          log.accept(String.format(Locale.ROOT, "cluster: %.1f s: node %s (%s) unreachable", t, w.name(),
              String.join(",", w.roles())));
        }
        if (!members.contains(w.address()) && removed.add(w.name())) {
          unreachableAt.putIfAbsent(w.name(), System.currentTimeMillis());
          log.accept(String.format(Locale.ROOT, "cluster: %.1f s: node %s downed and removed from the cluster%s", t,
              w.name(), w.roles().contains(NodeConfig.LEARNER) ? "; its learner slices restart on the other "
                  + "learner nodes from their checkpoints" : ""));
          if (policies.contains(w)) {
            lose(runId, w, "removed from the cluster", policies, latest);
          }
        }
      }
    }

    private OnlineTraining.Result train(String runId, List<Worker> workers, List<Worker> started,
        ShardedLearnerClient learner, SliceLayout layout) throws Exception {
      List<Worker> policies = new ArrayList<>(started);
      Map<String, Long> unreachableAt = new LinkedHashMap<>();
      Set<String> removed = new java.util.LinkedHashSet<>();
      Map<String, Integer> misses = new LinkedHashMap<>();
      long t0 = clock.getAsLong();
      Map<String, NodeWorker.NodeProgress> latest = new LinkedHashMap<>();
      Map<String, Long> lastCount = new LinkedHashMap<>();
      Map<String, Long> lineCount = new LinkedHashMap<>();
      long lineTotal = 0;
      double lastReport = 0;
      double lastNodeLine = 0;
      String stoppedBy = "";
      // a wake-up each report tick; the system's termination cancels them should the loop throw
      Wakeups wakeups = new Wakeups(system, Wakeups.period(options.reportEverySeconds()));
      while (stoppedBy.isEmpty()) {
        wakeups.await();
        double t = seconds(t0);
        watchMembers(runId, workers, unreachableAt, removed, policies, latest, t);
        boolean report = t - lastReport >= options.reportEverySeconds();
        if (report) {
          double rate = 0;
          long windowSamples = 0;
          double rewardSum = 0;
          double confidenceSum = 0;
          long confidenceCount = 0;
          long version = Long.MAX_VALUE;
          StringBuilder perNode = new StringBuilder();
          for (Worker w : List.copyOf(policies)) {
            NodeWorker.NodeProgress p = progress(runId, w);
            if (p == null) {
              perNode.append(String.format(Locale.ROOT, "%n  %s: not answering", w.name()));
              if (misses.merge(w.name(), 1, Integer::sum) >= LOST_AFTER_MISSES) {
                lose(runId, w, "no answer to " + LOST_AFTER_MISSES + " progress requests in a row", policies, latest);
              }
              continue;
            }
            misses.remove(w.name());
            long count = p.stats().trainedSamples();
            double nodeRate = (count - lastCount.getOrDefault(w.name(), 0L)) / Math.max(1e-9, t - lastReport);
            lastCount.put(w.name(), count);
            latest.put(w.name(), p);
            rate += nodeRate;
            if (p.windowSamples() > 0) {
              windowSamples += p.windowSamples();
              rewardSum += p.reward() * p.windowSamples();
              if (Double.isFinite(p.confidence())) {
                confidenceSum += p.confidence() * p.windowSamples();
                confidenceCount += p.windowSamples();
              }
            }
            version = Math.min(version, p.version());
            double lineRate = (count - lineCount.getOrDefault(w.name(), 0L)) / Math.max(1e-9, t - lastNodeLine);
            perNode.append(String.format(Locale.ROOT, "%n  %s: %d samples, %.1f samples/s, version %d%s", w.name(),
                count, lineRate, p.version(), p.running() ? "" : " (its share is done)"));
          }
          PipelineStats.Snapshot total = total(latest.values());
          long samples = before.samples() + total.trainedSamples();
          long staleGradients = total.slicesStale() / layout.slices();
          double reward = windowSamples == 0 ? Double.NaN : rewardSum / windowSamples;
          double confidence = confidenceCount == 0 ? Double.NaN : confidenceSum / confidenceCount;
          long v = version == Long.MAX_VALUE ? 0 : version;
          Map<String, Double> row = new LinkedHashMap<>();
          row.put("reward", reward);
          row.put("confidence", confidence);
          row.put("samples_per_s", rate);
          row.put("dropped_stale", (double) staleGradients);
          row.put("version", (double) v);
          row.put("failures", (double) total.failures());
          row.put("nodes", (double) latest.size());
          if (windowSamples > 0) {
            reporter.step(samples, row);
          }
          listener.progress(new OnlineTraining.Progress(before.seconds() + t, options.seconds(), samples,
              options.samples(), rate, reward, confidence, staleGradients, v));
          // a driver that dies leaves the samples trained so far for --resume (the slices keep their checkpoints)
          new RunProgress(before.position(), samples, before.seconds() + t).write(options.runDir());
          if (t - lastNodeLine >= NODE_LINE_SECONDS) {
            log.accept(String.format(Locale.ROOT, "cluster: %.0f s, %d samples, %.1f samples/s over %d node(s)%s", t,
                total.trainedSamples(), (total.trainedSamples() - lineTotal) / Math.max(1e-9, t - lastNodeLine),
                latest.size(), perNode));
            latest.forEach((n, p) -> lineCount.put(n, p.stats().trainedSamples()));
            lineTotal = total.trainedSamples();
            lastNodeLine = t;
          }
          lastReport = t;
          long trained = total.trainedSamples();
          boolean anyRunning = latest.values().stream().anyMatch(NodeWorker.NodeProgress::running);
          if (policies.isEmpty()) {
            throw new IllegalStateException("cluster: every policy node was lost; the learner slices keep their "
                + "checkpoints in " + options.runDir() + " (continue with train --resume " + options.runDir()
                + " --cluster ...)");
          }
          if (options.samples() > 0 && trained >= options.samples()) {
            stoppedBy = "samples";
          } else if (!latest.isEmpty() && !anyRunning) {
            stoppedBy = options.samples() > 0 ? "samples" : "data";
          }
        }
        if (stoppedBy.isEmpty() && stopRequested.getAsBoolean()) {
          stoppedBy = "stop request";
        } else if (stoppedBy.isEmpty() && options.seconds() > 0 && t >= options.seconds()) {
          stoppedBy = "seconds";
        }
      }
      wakeups.close();
      Map<String, NodeWorker.NodeProgress> last = stopAll(runId, policies);
      last.forEach(latest::put);
      double seconds = seconds(t0);
      ShardedLearnerClient.Gathered g = learner.gather(options.finalCheckpoint()).toCompletableFuture()
          .get(2 * ask.toSeconds(), TimeUnit.SECONDS);
      PipelineStats.Snapshot total = total(latest.values());
      for (NodeWorker.NodeProgress p : latest.values()) {
        log.accept(String.format(Locale.ROOT, "cluster: node %s trained %d samples in %.1f s (%.1f samples/s), %d "
                + "gradients, %d stale gradient slices, %d failures; %d slice updates swapped in, publication to swap "
                + "p50 %.1f ms, p99 %.1f ms", p.node(), p.stats().trainedSamples(), seconds,
            p.stats().trainedSamples() / Math.max(1e-9, seconds), p.stats().gradients(), p.stats().slicesStale(),
            p.stats().failures(), p.publications(), p.publicationP50Ms(), p.publicationP99Ms()));
      }
      List<LearnerShard.Stats> shards = learner.stats().toCompletableFuture().get(2 * ask.toSeconds(),
          TimeUnit.SECONDS);
      log.accept("cluster: learner slices: versions " + Arrays.toString(g.versions()) + ", updates "
          + shards.stream().map(s -> Long.toString(s.updates())).collect(Collectors.joining(",", "[", "]"))
          + ", dropped stale " + shards.stream().mapToLong(LearnerShard.Stats::droppedStale).sum());
      for (Worker w : workers) {
        Long lostAt = unreachableAt.get(w.name());
        if (lostAt != null && w.roles().contains(NodeConfig.LEARNER)) {
          log.accept(SliceRecovery.describe(w.name(), lostAt, SliceRecovery.read(options.runDir(), layout.slices(),
              w.name(), lostAt), settings.learner().checkpointEvery()));
        }
      }
      if (!unreachableAt.isEmpty()) {
        log.accept("cluster: nodes lost during the run: " + String.join(", ", unreachableAt.keySet()) + "; "
            + latest.size() + " policy node(s) trained, " + policies.size() + " to the end");
      }
      RunProgress after = new RunProgress(before.position(), before.samples() + total.trainedSamples(),
          before.seconds() + seconds);
      after.write(options.runDir());
      int perPrompt = options.settings().rl().algorithm().completionsPerPrompt();
      return new OnlineTraining.Result(g.weights(), g.versions(), after, total, seconds, 0,
          total.pulled() * perPrompt, stoppedBy);
    }

    /** Waits until {@code nodes} worker nodes are Up with the roles a run needs, printing where it stands. */
    private List<Worker> awaitWorkers() throws Exception {
      long t0 = System.nanoTime();
      long lastLine = -1;
      // a wake-up every 250 ms; the system's termination cancels them should the loop throw
      Wakeups wakeups = new Wakeups(system, Duration.ofMillis(250));
      while (true) {
        List<Worker> up = workers();
        boolean learner = up.stream().anyMatch(w -> w.roles().contains(NodeConfig.LEARNER));
        boolean policy = up.stream().anyMatch(w -> w.roles().contains(NodeConfig.POLICY));
        if (up.size() >= nodes && learner && policy) {
          wakeups.close();
          log.accept("cluster: " + up.size() + " node(s) up: " + describe(up));
          return up;
        }
        long waited = (System.nanoTime() - t0) / 1_000_000_000L;
        String where = up.size() + " of " + nodes + " node(s) up" + (up.isEmpty() ? "" : ": " + describe(up))
            + (up.size() >= nodes ? "; need at least one node of role learner and one of role policy" : "");
        if (waited >= joinTimeout.toSeconds()) {
          throw new IllegalStateException("cluster: " + where + " after " + joinTimeout.toSeconds()
              + " s; start the nodes (node --seeds ...) or lower --nodes");
        }
        if (lastLine < 0 || waited - lastLine >= 5) {
          log.accept("cluster: waiting for nodes (" + waited + " s): " + where);
          lastLine = waited;
        }
        wakeups.await();
      }
    }

    /**
     * Waits (at most the ask timeout) until the shard coordinator knows a region of the run's learner entity on every
     * learner node, so that the slices seeded next are spread over all of them instead of landing on the nodes whose
     * regions registered first; on time-out the run goes on and says so (the coordinator rebalances later).
     */
    private void awaitLearnerRegions(String runId, int learners) throws Exception {
      long deadline = System.nanoTime() + ask.toNanos();
      Wakeups wakeups = new Wakeups(system, Duration.ofMillis(200));
      try {
        int known = 0;
        while (System.nanoTime() < deadline) {
          // the classic region: the typed query answers nothing on a node that runs only a proxy, as the driver does
          try {
            ShardRegion.ClusterShardingStats stats = (ShardRegion.ClusterShardingStats) Patterns.ask(
                ClusterSharding.get(Adapter.toClassic(system)).shardRegion(LearnerShard.typeKey(runId).name()),
                new ShardRegion.GetClusterShardingStats(FiniteDuration.create(5, TimeUnit.SECONDS)),
                Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
            known = stats.getRegions().size();
          } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            known = 0; // the coordinator did not answer in time: ask again until the deadline
          }
          if (known >= learners) {
            return;
          }
          wakeups.await();
        }
        log.accept("cluster: run " + runId + ": " + known + " of " + learners + " learner node(s) registered their "
            + "slices' region within " + ask.toSeconds() + " s; the slices start on those and move later");
      } finally {
        wakeups.close();
      }
    }

    /** The registered workers on members that are Up, with their roles. */
    private List<Worker> workers() throws Exception {
      Receptionist.Listing listing = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
          r -> Receptionist.find(NodeWorker.SERVICE, r), Duration.ofSeconds(5), system.scheduler())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      Map<Address, Member> members = new LinkedHashMap<>();
      for (Member m : Cluster.get(system).state().getMembers()) {
        if (m.status() == MemberStatus.up()) {
          members.put(m.address(), m);
        }
      }
      List<Worker> out = new ArrayList<>();
      for (ActorRef<NodeWorker.Command> ref : listing.getServiceInstances(NodeWorker.SERVICE)) {
        Member m = members.get(ref.path().address());
        if (m != null && !m.hasRole(DRIVER)) {
          out.add(new Worker(m.address(), Set.copyOf(m.getRoles().stream().filter(r -> !r.startsWith("dc-"))
              .toList()), ref));
        }
      }
      out.sort(Comparator.comparing(Worker::name));
      return out;
    }

    private NodeWorker.NodeProgress progress(String runId, Worker w) {
      try {
        return ask(w.ref(), (ActorRef<NodeWorker.NodeProgress> r) -> new NodeWorker.GetProgress(runId, r),
            Duration.ofSeconds(5));
      } catch (Exception e) {
        return null;
      }
    }

    /** Stops every policy node's session and returns their final counters (nodes that do not answer left out). */
    private Map<String, NodeWorker.NodeProgress> stopAll(String runId, List<Worker> policies) {
      List<CompletionStage<NodeWorker.TrainingStopped>> stopping = new ArrayList<>();
      for (Worker w : policies) {
        stopping.add(AskPattern.ask(w.ref(), (ActorRef<NodeWorker.TrainingStopped> r) ->
            new NodeWorker.StopTraining(runId, r), ask.multipliedBy(2), system.scheduler()));
      }
      Map<String, NodeWorker.NodeProgress> out = new LinkedHashMap<>();
      for (int i = 0; i < policies.size(); i++) {
        try {
          NodeWorker.TrainingStopped s = stopping.get(i).toCompletableFuture().get(3 * ask.toSeconds(),
              TimeUnit.SECONDS);
          out.put(policies.get(i).name(), s.last());
        } catch (Exception e) {
          log.accept("cluster: node " + policies.get(i).name() + " did not confirm its stop: " + e);
        }
      }
      return out;
    }

    private <Q, A> A ask(ActorRef<Q> to, org.apache.pekko.japi.function.Function<ActorRef<A>, Q> message,
        Duration timeout) throws Exception {
      return AskPattern.ask(to, message, timeout, system.scheduler()).toCompletableFuture()
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    private double seconds(long t0) {
      return (clock.getAsLong() - t0) / 1e9;
    }
  }

  /** {@code ADDRESS (roles), ...}. */
  private static String describe(List<Worker> workers) {
    return workers.stream().map(w -> w.name() + " (" + w.roles().stream().sorted().collect(Collectors.joining(","))
        + ")").collect(Collectors.joining(", "));
  }

  /** The wire sizes of the largest gradient and published slices against the frame limit. */
  static String sizes(SliceLayout layout, MessageSizeGuard guard) {
    float[] slice = new float[layout.maxLength()];
    int gradient = guard.serializedSize(new LearnerShard.GradientSlice(0, slice, Long.MAX_VALUE, Integer.MAX_VALUE,
        null));
    int published = guard.serializedSize(new LearnerShard.SlicePublished(0, Integer.MAX_VALUE, slice, Long.MAX_VALUE,
        Long.MAX_VALUE));
    return String.format(Locale.ROOT, "cluster: %d learner slices of at most %d floats: %d bytes per gradient slice, "
        + "%d per published slice on the wire (limit %d of the Artery frame)", layout.slices(), layout.maxLength(),
        gradient, published, guard.limit());
  }

  /** The counters of all nodes, summed. */
  static PipelineStats.Snapshot total(Collection<NodeWorker.NodeProgress> nodes) {
    long[] c = new long[10];
    String lastFailure = "";
    for (NodeWorker.NodeProgress p : nodes) {
      PipelineStats.Snapshot s = p.stats();
      long[] x = {s.pulled(), s.samples(), s.skippedUnits(), s.incompleteGroups(), s.failures(), s.gradients(),
          s.trainedSamples(), s.slicesAccepted(), s.slicesStale(), s.slicesRejected()};
      for (int i = 0; i < c.length; i++) {
        c[i] += x[i];
      }
      if (!s.lastFailure().isEmpty()) {
        lastFailure = p.node() + ": " + s.lastFailure();
      }
    }
    return new PipelineStats.Snapshot(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], lastFailure);
  }
}
