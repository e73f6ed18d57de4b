package saliency.actors.cluster;

import com.typesafe.config.Config;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import saliency.actors.learner.LearnerShard;
import saliency.actors.learner.ShardedLearnerClient;
import saliency.actors.policy.PolicyActor;
import saliency.actors.serialization.KryoSerializable;
import saliency.actors.serialization.MessageSizeGuard;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.train.OnlineTraining;
import saliency.model.train.RunFolder;
import saliency.model.train.TrainSettings;
import saliency.streams.LatencyHistogram;
import saliency.streams.PipelineStats;

/**
 * The part of a cluster node that takes work from a run's driver: it hosts the run's learner slices (role
 * {@code learner}) once told the run's layout, and on a {@code policy} node runs the node's policy actors and training
 * stream over the node's part of the data until the driver stops it (or leaves). Registered with the receptionist
 * under {@link #SERVICE}; owns the node's current training session and its policy actors.
 *
 * <p>Protocol, driver to node: {@link PrepareRun} (answered by {@link RunPrepared}), then on policy nodes
 * {@link StartTraining} ({@link TrainingStarted} once the node's policy actors hold every learner slice and the stream
 * runs), {@link GetProgress} ({@link NodeProgress}) as often as the driver reports, and {@link StopTraining}
 * ({@link TrainingStopped} once the samples in flight are trained and the policy actors stopped). A node whose driver
 * is gone (its lifeline terminated or unreachable) stops its session by itself; the node stays up for the next run.
 */
public final class NodeWorker extends AbstractBehavior<NodeWorker.Command> {

  /** The receptionist key of every node's worker. */
  public static final ServiceKey<Command> SERVICE = ServiceKey.create(Command.class, "saliency-node-worker");

  /** Messages a node worker accepts. */
  public sealed interface Command extends KryoSerializable
      permits PrepareRun, StartTraining, GetProgress, StopTraining, SessionStarted, SessionEnded, DriverGone {}

  /** Host run {@code layout}'s learner slices (role learner) and keep the layout for {@link StartTraining}. */
  public record PrepareRun(RunLayout layout, ActorRef<RunPrepared> replyTo) implements Command {
    public PrepareRun {
      Objects.requireNonNull(layout, "layout");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * Start this node's policy actors and training stream for the prepared run {@code runId}.
   *
   * @param nodeIndex this node's index among the run's {@code nodeCount} policy nodes (selects its part of the data)
   * @param samples this node's share of the sample budget (0: none, the driver stops it)
   * @param driver the driver's lifeline: the session stops when it terminates
   */
  public record StartTraining(String runId, int nodeIndex, int nodeCount, long samples, ActorRef<Reply> driver,
      ActorRef<TrainingStarted> replyTo) implements Command {
    public StartTraining {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(driver, "driver");
      Objects.requireNonNull(replyTo, "replyTo");
      if (nodeCount < 1 || nodeIndex < 0 || nodeIndex >= nodeCount || samples < 0) {
        throw new IllegalArgumentException("node " + nodeIndex + " of " + nodeCount + ", samples " + samples);
      }
    }
  }

  /** This node's counters of run {@code runId} so far. */
  public record GetProgress(String runId, ActorRef<NodeProgress> replyTo) implements Command {
    public GetProgress {
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** Stop admitting samples, train those in flight, stop the policy actors. */
  public record StopTraining(String runId, ActorRef<TrainingStopped> replyTo) implements Command {
    public StopTraining {
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** Internal: the session of {@code runId} started (or failed to, {@code session} null). */
  record SessionStarted(String runId, NodeTraining session, Throwable failure) implements Command {}

  /** Internal: the stream of {@code runId} completed (stopped or its data or budget ran out). */
  record SessionEnded(String runId) implements Command {}

  /** Internal: the driver of {@code runId} terminated. */
  record DriverGone(String runId) implements Command {}

  /** Replies of a node worker. */
  public sealed interface Reply extends KryoSerializable
      permits RunPrepared, TrainingStarted, NodeProgress, TrainingStopped {}

  /** The node took the layout; {@code error} is empty, or says why not. */
  public record RunPrepared(String runId, String node, String[] roles, String error) implements Reply {}

  /** The node's training runs; {@code error} is empty, or says why it does not. */
  public record TrainingStarted(String runId, String node, String error) implements Reply {}

  /**
   * A node's counters of one run.
   *
   * @param running whether its stream is still running
   * @param stats the stream's counters since the session started
   * @param windowSamples samples rewarded since the previous progress report, with their mean reward and confidence
   * @param version the newest policy version (smallest slice version) its samples were drawn with
   * @param publications slice updates swapped into its policy actors since the session started, with the time from
   *     publication to swap at the median and the 99th percentile (ms, NaN when none)
   */
  public record NodeProgress(String runId, String node, boolean running, PipelineStats.Snapshot stats,
      long windowSamples, double reward, double confidence, long version, long publications,
      double publicationP50Ms, double publicationP99Ms) implements Reply {}

  /** The node's session ended; {@code last} holds its final counters. */
  public record TrainingStopped(String runId, NodeProgress last) implements Reply {}

  /** The worker of this node, printing what it does to {@code out}. */
  public static Behavior<Command> create(Consumer<String> out) {
    Objects.requireNonNull(out, "out");
    return Behaviors.setup(ctx -> new NodeWorker(ctx, out));
  }

  private final Consumer<String> out;
  private final String self;
  private final Executor blocking;
  private RunLayout prepared;
  private String sessionRun;
  private NodeTraining session;
  private ActorRef<TrainingStarted> startedTo;
  private final List<ActorRef<PolicyActor.Command>> policies = new ArrayList<>();
  private final List<ActorRef<TrainingStopped>> stoppedTo = new ArrayList<>();
  private NodeProgress last;

  private NodeWorker(ActorContext<Command> ctx, Consumer<String> out) {
    super(ctx);
    this.out = out;
    this.self = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    ctx.getSystem().receptionist().tell(Receptionist.register(SERVICE, ctx.getSelf()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PrepareRun.class, this::onPrepare)
        .onMessage(StartTraining.class, this::onStart)
        .onMessage(SessionStarted.class, this::onStarted)
        .onMessage(GetProgress.class, this::onGetProgress)
        .onMessage(StopTraining.class, this::onStop)
        .onMessage(SessionEnded.class, this::onEnded)
        .onMessage(DriverGone.class, this::onDriverGone)
        .build();
  }

  private Member selfMember() {
    return Cluster.get(getContext().getSystem()).selfMember();
  }

  private SaliencySettings runSettings(RunLayout layout) {
    return SaliencySettings.fromConfig(layout.nodeConfig(getContext().getSystem().settings().config()));
  }

  private Behavior<Command> onPrepare(PrepareRun m) {
    RunLayout layout = m.layout();
    String[] roles = selfMember().getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted()
        .toArray(String[]::new);
    String error = "";
    try {
      LearnerShard.initSharding(getContext().getSystem(), LearnerShard.typeKey(layout.runId()), runSettings(layout),
          layout.sliceLayout(), Optional.of(NodeConfig.LEARNER));
      prepared = layout;
      out.accept("run " + layout.runId() + ": " + layout.slices() + " learner slices of " + layout.parameterCount()
          + " parameters" + (selfMember().hasRole(NodeConfig.LEARNER) ? " hosted here" : "") + ", run folder "
          + layout.runDir());
    } catch (RuntimeException e) {
      error = e.toString();
      getContext().getLog().error("run {}: cannot prepare: {}", layout.runId(), e.toString());
    }
    m.replyTo().tell(new RunPrepared(layout.runId(), self, roles, error));
    return this;
  }

  private Behavior<Command> onStart(StartTraining m) {
    String refused = prepared == null || !prepared.runId().equals(m.runId()) ? "run " + m.runId() + " not prepared"
        : !selfMember().hasRole(NodeConfig.POLICY) ? "this node has no role " + NodeConfig.POLICY
        : sessionRun != null ? "run " + sessionRun + " is still training here" : "";
    if (!refused.isEmpty()) {
      m.replyTo().tell(new TrainingStarted(m.runId(), self, refused));
      return this;
    }
    RunLayout layout = prepared;
    SaliencySettings node = runSettings(layout);
    Config config = layout.nodeConfig(getContext().getSystem().settings().config());
    TrainSettings s;
    try {
      s = RunFolder.settingsFromText(layout.settings(), layout.runDir() + "/" + RunFolder.SETTINGS);
    } catch (IOException | RuntimeException e) {
      m.replyTo().tell(new TrainingStarted(m.runId(), self, "bad settings: " + e.getMessage()));
      return this;
    }
    sessionRun = m.runId();
    startedTo = m.replyTo();
    last = null;
    getContext().watchWith(m.driver(), new DriverGone(m.runId()));
    MessageSizeGuard guard = new MessageSizeGuard(getContext().getSystem(), node.messageSizeLimit(),
        node.serialization().checkSize());
    ShardedLearnerClient learner = new ShardedLearnerClient(getContext().getSystem(),
        LearnerShard.typeKey(layout.runId()), layout.sliceLayout(), guard, node.policy().askTimeout());
    LatencyHistogram publication = new LatencyHistogram();
    try {
      for (int i = 0; i < node.policy().count(); i++) {
        long seed = s.seed() * 7919 + 1000L * (m.nodeIndex() + 1) + i;
        policies.add(getContext().spawn(
            PolicyActor.create(OnlineTraining.backend(s, config, s.policyConfig(), null, i, seed),
                layout.slices(), learner, node.policy().resubscribeInterval(), publication),
            "policy-" + m.runId() + "-" + i, DispatcherSelector.fromConfig(SaliencySettings.TF_DISPATCHER)));
      }
    } catch (RuntimeException e) {
      getContext().getSelf().tell(new SessionStarted(m.runId(), null, e));
      return this;
    }
    out.accept("run " + m.runId() + ": training as policy node " + m.nodeIndex() + " of " + m.nodeCount() + " ("
        + policies.size() + " policy actor(s), " + NodeTraining.dataNote(layout.data(), s, m.nodeIndex(),
        m.nodeCount()) + ")");
    List<ActorRef<PolicyActor.Command>> mine = List.copyOf(policies);
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        return NodeTraining.start(getContext().getSystem(), node, s, layout, m.nodeIndex(), m.nodeCount(), mine,
            learner, m.samples(), publication);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, blocking), (t, e) -> new SessionStarted(m.runId(), t, e));
    return this;
  }

  private Behavior<Command> onStarted(SessionStarted m) {
    if (!m.runId().equals(sessionRun)) {
      if (m.session() != null) {
        m.session().stop();
      }
      return this;
    }
    if (m.session() == null) {
      Throwable cause = m.failure() instanceof CompletionException && m.failure().getCause() != null
          ? m.failure().getCause() : m.failure();
      getContext().getLog().error("run {}: training did not start: {}", m.runId(), String.valueOf(cause));
      reply(startedTo, new TrainingStarted(m.runId(), self, "training did not start: " + cause));
      endSession();
      return this;
    }
    session = m.session();
    reply(startedTo, new TrainingStarted(m.runId(), self, ""));
    startedTo = null;
    String run = m.runId();
    getContext().pipeToSelf(session.done(), (r, e) -> new SessionEnded(run));
    if (!stoppedTo.isEmpty()) { // a stop (or the driver's end) came while the session started
      session.stop();
    }
    return this;
  }

  private NodeProgress progress(String runId) {
    if (session != null && runId.equals(sessionRun)) {
      return session.progress(runId, self);
    }
    if (last != null && last.runId().equals(runId)) {
      return last;
    }
    return new NodeProgress(runId, self, false, NodeTraining.NO_STATS, 0, Double.NaN, Double.NaN, 0, 0, Double.NaN,
        Double.NaN);
  }

  private Behavior<Command> onGetProgress(GetProgress m) {
    m.replyTo().tell(progress(m.runId()));
    return this;
  }

  private Behavior<Command> onStop(StopTraining m) {
    if (m.runId() == null || !m.runId().equals(sessionRun)) {
      m.replyTo().tell(new TrainingStopped(m.runId(), progress(String.valueOf(m.runId()))));
      return this;
    }
    stoppedTo.add(m.replyTo());
    if (session != null && session.finished()) { // its data or budget ran out before: nothing left in flight
      endSession();
    } else if (session != null) {
      session.stop(); // SessionEnded follows once the samples in flight are trained
    }
    return this;
  }

  private Behavior<Command> onEnded(SessionEnded m) {
    if (!m.runId().equals(sessionRun) || session == null) {
      return this;
    }
    if (!stoppedTo.isEmpty()) {
      endSession();
    } else {
      last = session.progress(m.runId(), self); // its data or budget ran out: the driver still asks and stops it
    }
    return this;
  }

  private Behavior<Command> onDriverGone(DriverGone m) {
    if (m.runId().equals(sessionRun)) {
      out.accept("run " + m.runId() + ": the driver is gone; stopping this node's training");
      if (session != null && !session.finished()) {
        session.stop();
        stoppedTo.add(getContext().getSystem().ignoreRef());
      } else {
        endSession();
      }
    }
    return this;
  }

  /** Stops the policy actors, answers every stop waiting, and forgets the session (the node stays up). */
  private void endSession() {
    NodeProgress end = session != null ? session.progress(sessionRun, self) : progress(String.valueOf(sessionRun));
    for (ActorRef<PolicyActor.Command> p : policies) {
      getContext().stop(p);
    }
    policies.clear();
    for (ActorRef<TrainingStopped> r : stoppedTo) {
      r.tell(new TrainingStopped(sessionRun, end));
    }
    stoppedTo.clear();
    if (sessionRun != null) {
      out.accept("run " + sessionRun + ": stopped after " + end.stats().trainedSamples() + " samples trained here");
    }
    last = end;
    session = null;
    sessionRun = null;
    startedTo = null;
  }

  private static <T> void reply(ActorRef<T> to, T msg) {
    if (to != null) {
      to.tell(msg);
    }
  }
}
