package saliency.actors.learner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import saliency.actors.serialization.KryoSerializable;
import saliency.actors.serialization.MessageSizeGuard;
import saliency.actors.serialization.MessageSizeGuard.FixedShape;
import saliency.actors.serialization.OversizedMessageException;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;
import saliency.model.optim.Adam;

/**
 * One learner slice, a Cluster Sharding entity (id = slice index): owns the weights of its slice of the flat parameter
 * vector, their Adam state and version, the gradients gathered toward the next step, and its subscribers.
 *
 * <p>Versions: the slice starts at version 0 when initialized and adds 1 per applied Adam step. A
 * {@link GradientSlice} carries the version of this slice in the weights its samples were drawn with; it is dropped and
 * counted as stale when {@code version - baseVersion > max-staleness}, rejected when it holds NaN/Inf or has the wrong
 * length. After {@code accumulate} accepted gradients the mean is (optionally clipped and) applied with Adam, the
 * version bumps, and the new slice is published to every subscriber as {@link SlicePublished}.
 *
 * <p>Checkpoints: at initialization and after every {@code checkpoint-every} steps the slice writes weights, moments,
 * Adam step and version atomically to {@code <run-dir>/learner/slice-NNNNN.ckpt}, before publishing. On start it
 * restores from that file; the restored weights get version {@code checkpointVersion + checkpoint-every} (written back
 * at once), which is above any version published before the crash (an update that reaches a checkpoint boundary is
 * published only after its checkpoint is written), so a published version number never names two different weight
 * vectors and published versions never go backwards. Steps after the last checkpoint are lost (at most K-1). A checkpoint
 * that cannot be written (a full disk) stops the slice: one error line, its temporary file removed, the last good
 * checkpoint kept, and a {@link CheckpointFailed} published on the node's event stream (a training run stops on it).
 * Every initialization, restore, update and checkpoint is also appended to the slice's {@link SliceHistory} file.
 */
public final class LearnerShard extends AbstractBehavior<LearnerShard.Command> {

  /** The sharded entity type of learner slices. */
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "learner-slice");

  /** Messages a learner slice accepts. */
  public sealed interface Command extends KryoSerializable
      permits Initialize, GradientSlice, Subscribe, Unsubscribe, GetStats, GetSlice, SubscriberTerminated,
      WriteCheckpoint, HandOff {}

  /**
   * Sets the initial weights of the slice unless it already has weights (restored or initialized before).
   *
   * @param weights this slice's part of the flat vector (length {@code layout.length(slice)})
   */
  public record Initialize(float[] weights, ActorRef<Initialized> replyTo) implements Command, FixedShape {
    public Initialize {
      Objects.requireNonNull(weights, "weights");
    }

    @Override
    public int shapeKey() {
      return replyTo == null ? weights.length : -1; // an actor path has no fixed size
    }
  }

  /**
   * A gradient's part for this slice.
   *
   * @param sliceIndex must equal the entity's slice
   * @param grad the gradient values of the slice
   * @param baseVersion this slice's version in the weights the samples were drawn with
   * @param sampleCount samples behind the gradient (for stats)
   * @param replyTo receives the {@link GradientProcessed}; may be null
   */
  public record GradientSlice(int sliceIndex, float[] grad, long baseVersion, int sampleCount,
      ActorRef<GradientProcessed> replyTo) implements Command, FixedShape {
    @Override
    public int shapeKey() {
      return replyTo == null ? grad.length : -1; // an actor path has no fixed size
    }

    public GradientSlice {
      Objects.requireNonNull(grad, "grad");
    }
  }

  /** Registers {@code subscriber} for every published slice (idempotent); it gets the current slice at once. */
  public record Subscribe(ActorRef<SlicePublished> replyTo) implements Command {
    public Subscribe {
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** Removes {@code replyTo} from the subscribers. */
  public record Unsubscribe(ActorRef<SlicePublished> replyTo) implements Command {}

  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  public record GetSlice(ActorRef<SliceState> replyTo) implements Command {}

  /**
   * Writes the slice's checkpoint now (a graceful stop, so that no applied step is lost on resume); answered with the
   * slice's state after writing (weights empty when not initialized, and then nothing is written).
   */
  public record WriteCheckpoint(ActorRef<SliceState> replyTo) implements Command {
    public WriteCheckpoint {
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * Cluster Sharding's stop message for a slice that hands off (a rebalance, or its node leaving the cluster): the
   * slice writes its checkpoint, so that the node it moves to restores every update applied here, and stops.
   */
  public record HandOff() implements Command {}

  /** Internal: a watched subscriber stopped. */
  public record SubscriberTerminated(ActorRef<SlicePublished> subscriber) implements Command {}

  /** Replies and publications of a learner slice. */
  public sealed interface Reply extends KryoSerializable
      permits Initialized, GradientProcessed, SlicePublished, Stats, SliceState {}

  /** How a slice took a gradient. */
  public enum Outcome {
    ACCEPTED,
    STALE,
    NON_FINITE,
    BAD_SHAPE,
    FUTURE_VERSION,
    NOT_INITIALIZED
  }

  /** Answer to {@link Initialize}: {@code applied} is false when the slice already had weights. */
  public record Initialized(int sliceIndex, long version, boolean applied) implements Reply {}

  /** Answer to {@link GradientSlice}, with the slice's version after taking it. */
  public record GradientProcessed(int sliceIndex, Outcome outcome, long version) implements Reply {}

  /**
   * New weights of one slice, covering {@code [offset, offset + weights.length)} of the flat vector;
   * {@code updatedAtMillis} is the wall-clock time the update was published (0 for a catch-up on subscription).
   */
  public record SlicePublished(int sliceIndex, int offset, float[] weights, long version, long updatedAtMillis)
      implements Reply, FixedShape {
    /** A slice with no update time: a catch-up, not counted in the publication latency. */
    public SlicePublished(int sliceIndex, int offset, float[] weights, long version) {
      this(sliceIndex, offset, weights, version, 0);
    }

    @Override
    public int shapeKey() {
      return weights.length;
    }
  }

  /** Counters of one slice. */
  public record Stats(int sliceIndex, boolean initialized, long version, long updates, long accepted,
      long droppedStale, long rejectedNonFinite, long rejectedOther, long notInitialized, long publishFailures,
      long checkpoints, int subscribers) implements Reply {}

  /**
   * Published on the node's event stream (local only) when slice {@code sliceIndex} could not write its checkpoint
   * {@code file} and stopped; {@code reason} says why (e.g. no space left on device).
   */
  public record CheckpointFailed(int sliceIndex, Path file, String reason) {
    public CheckpointFailed {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The current weights and version (weights empty when not initialized). */
  public record SliceState(int sliceIndex, int offset, float[] weights, long version, boolean initialized)
      implements Reply {}

  /**
   * The entity type of the learner slices of clustered run {@code run} ({@code learner-slice-RUN}): each run gets its
   * own type, so a node that stays up between runs hosts the slices of each run with that run's layout and folder.
   */
  public static EntityTypeKey<Command> typeKey(String run) {
    Objects.requireNonNull(run, "run");
    if (!run.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("run id must be letters, digits, '-' or '_': '" + run + "'");
    }
    return EntityTypeKey.create(Command.class, TYPE_KEY.name() + "-" + run);
  }

  /** Starts the sharded learner on this node; entities are created on first message. */
  public static ActorRef<ShardingEnvelope<Command>> initSharding(
      ActorSystem<?> system, SaliencySettings settings, SliceLayout layout) {
    return initSharding(system, settings, layout, Optional.empty());
  }

  /**
   * Starts the sharded learner on this node; with {@code role}, slices live only on nodes of that role (a node
   * without it gets a proxy that routes to them).
   */
  public static ActorRef<ShardingEnvelope<Command>> initSharding(
      ActorSystem<?> system, SaliencySettings settings, SliceLayout layout, Optional<String> role) {
    return initSharding(system, TYPE_KEY, settings, layout, role);
  }

  /**
   * As {@link #initSharding(ActorSystem, SaliencySettings, SliceLayout, Optional)} for entity type {@code key} (see
   * {@link #typeKey}); the slices checkpoint under {@code settings.runDir()}.
   */
  public static ActorRef<ShardingEnvelope<Command>> initSharding(ActorSystem<?> system, EntityTypeKey<Command> key,
      SaliencySettings settings, SliceLayout layout, Optional<String> role) {
    Objects.requireNonNull(role, "role");
    Entity<Command, ShardingEnvelope<Command>> entity = Entity.of(key,
        ctx -> create(parseSlice(ctx.getEntityId(), layout), layout, settings.learner(), settings.runDir(),
            settings.messageSizeLimit(), settings.serialization().checkSize()))
        .withStopMessage(new HandOff());
    return ClusterSharding.get(system).init(role.map(entity::withRole).orElse(entity));
  }

  /** The entity of slice {@code slice}. */
  public static EntityRef<Command> entityRef(ActorSystem<?> system, int slice) {
    return entityRef(system, TYPE_KEY, slice);
  }

  /** The entity of slice {@code slice} of entity type {@code key}. */
  public static EntityRef<Command> entityRef(ActorSystem<?> system, EntityTypeKey<Command> key, int slice) {
    return ClusterSharding.get(system).entityRefFor(key, Integer.toString(slice));
  }

  static int parseSlice(String entityId, SliceLayout layout) {
    int slice;
    try {
      slice = Integer.parseInt(entityId);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("learner entity id is not a slice index: '" + entityId + "'", e);
    }
    if (slice < 0 || slice >= layout.slices()) {
      throw new IllegalArgumentException("learner entity id " + slice + " outside [0, " + layout.slices() + ")");
    }
    return slice;
  }

  /** One slice entity; restores from {@code runDir} when a checkpoint exists. */
  public static Behavior<Command> create(int slice, SliceLayout layout, SaliencySettings.Learner settings,
      Path runDir, int messageSizeLimit, boolean checkSize) {
    return create(slice, layout, settings, runDir, messageSizeLimit, checkSize, SliceCheckpoint::writeAndForce);
  }

  /** {@link #create} with checkpoint bytes written through {@code sink} (tests make it fail). */
  static Behavior<Command> create(int slice, SliceLayout layout, SaliencySettings.Learner settings, Path runDir,
      int messageSizeLimit, boolean checkSize, SliceCheckpoint.Sink sink) {
    Objects.requireNonNull(sink, "sink");
    return Behaviors.setup(ctx -> new LearnerShard(ctx, slice, layout, settings, runDir,
        new MessageSizeGuard(ctx.getSystem(), messageSizeLimit, checkSize), sink).next());
  }

  private final int slice;
  private final int offset;
  private final int length;
  private final SliceLayout layout;
  private final SaliencySettings.Learner settings;
  private final Path checkpointFile;
  private final Path historyFile;
  private final String node;
  private final MessageSizeGuard guard;
  private final SliceCheckpoint.Sink sink;
  private final Set<ActorRef<SlicePublished>> subscribers = new LinkedHashSet<>();

  private float[] weights;
  private Adam adam;
  private long version;
  private final double[] gradSum;
  private int gathered;
  private long updates;
  private long sinceCheckpoint;
  private long accepted;
  private long droppedStale;
  private long rejectedNonFinite;
  private long rejectedOther;
  private long notInitialized;
  private long publishFailures;
  private long checkpoints;
  /** Set when a checkpoint could not be written: the slice stops after the message at hand. */
  private boolean failed;

  private LearnerShard(ActorContext<Command> ctx, int slice, SliceLayout layout, SaliencySettings.Learner settings,
      Path runDir, MessageSizeGuard guard, SliceCheckpoint.Sink sink) {
    super(ctx);
    this.sink = Objects.requireNonNull(sink, "sink");
    this.slice = slice;
    this.layout = Objects.requireNonNull(layout, "layout");
    this.offset = layout.offset(slice);
    this.length = layout.length(slice);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.checkpointFile = SliceCheckpoint.file(Objects.requireNonNull(runDir, "runDir"), slice);
    this.historyFile = SliceHistory.file(runDir, slice);
    this.node = ctx.getSystem().address().toString();
    this.guard = Objects.requireNonNull(guard, "guard");
    this.gradSum = new double[length];
    restore();
  }

  private void restore() {
    Optional<SliceCheckpoint> ckpt;
    try {
      ckpt = SliceCheckpoint.read(checkpointFile);
    } catch (IOException e) {
      throw new UncheckedIOException("learner slice " + slice + ": cannot restore " + checkpointFile, e);
    }
    if (ckpt.isEmpty()) {
      getContext().getLog().info("learner slice {} [{}, +{}) starts uninitialized", slice, offset, length);
      return;
    }
    SliceCheckpoint c = ckpt.get();
    if (c.sliceIndex() != slice || c.offset() != offset || c.weights().length != length
        || c.parameterCount() != layout.parameterCount()) {
      throw new IllegalStateException(checkpointFile + ": checkpoint is for slice " + c.sliceIndex() + " [" + c.offset()
          + ", +" + c.weights().length + ") of " + c.parameterCount() + " parameters, this entity is slice " + slice
          + " [" + offset + ", +" + length + ") of " + layout.parameterCount());
    }
    weights = c.weights();
    adam = new Adam(settings.adam(), c.m(), c.v(), c.adamStep());
    version = c.version() + settings.checkpointEvery();
    history(SliceHistory.Event.RESTORED, c.version());
    if (!writeCheckpoint()) {
      return;
    }
    getContext().getLog().info("learner slice {} restored checkpoint version {} as version {} from {}", slice,
        c.version(), version, checkpointFile);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Initialize.class, this::onInitialize)
        .onMessage(GradientSlice.class, this::onGradient)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, this::onUnsubscribe)
        .onMessage(SubscriberTerminated.class, this::onSubscriberTerminated)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(GetSlice.class, this::onGetSlice)
        .onMessage(WriteCheckpoint.class, this::onWriteCheckpoint)
        .onMessage(HandOff.class, this::onHandOff)
        .build();
  }

  private Behavior<Command> onInitialize(Initialize msg) {
    boolean applied = false;
    if (weights == null && msg.weights().length != length) {
      rejectedOther++;
      getContext().getLog().error("learner slice {}: refused Initialize with {} floats, the slice has {}", slice,
          msg.weights().length, length);
    } else if (weights == null) {
      weights = msg.weights().clone();
      adam = new Adam(settings.adam(), length);
      version = 0;
      history(SliceHistory.Event.INIT, -1);
      if (writeCheckpoint()) {
        applied = true;
        publish();
      }
    }
    if (msg.replyTo() != null && !failed) {
      msg.replyTo().tell(new Initialized(slice, version, applied));
    }
    return next();
  }

  /** This behavior, or stopped once a checkpoint write failed. */
  private Behavior<Command> next() {
    return failed ? Behaviors.stopped() : this;
  }

  private Behavior<Command> onGradient(GradientSlice msg) {
    Outcome outcome = take(msg);
    if (msg.replyTo() != null && !failed) {
      msg.replyTo().tell(new GradientProcessed(slice, outcome, version));
    }
    return next();
  }

  private Outcome take(GradientSlice msg) {
    if (weights == null) {
      notInitialized++;
      return Outcome.NOT_INITIALIZED;
    }
    if (msg.sliceIndex() != slice || msg.grad().length != length) {
      rejectedOther++;
      getContext().getLog().warn("learner slice {}: rejected gradient for slice {} with {} floats (expected {})",
          slice, msg.sliceIndex(), msg.grad().length, length);
      return Outcome.BAD_SHAPE;
    }
    if (msg.baseVersion() > version) {
      rejectedOther++;
      getContext().getLog().warn("learner slice {}: rejected gradient from future version {} (slice at {})", slice,
          msg.baseVersion(), version);
      return Outcome.FUTURE_VERSION;
    }
    if (version - msg.baseVersion() > settings.maxStaleness()) {
      droppedStale++;
      return Outcome.STALE;
    }
    if (!Adam.allFinite(msg.grad())) {
      rejectedNonFinite++;
      getContext().getLog().warn("learner slice {}: rejected non-finite gradient (base version {})", slice,
          msg.baseVersion());
      return Outcome.NON_FINITE;
    }
    accepted++;
    float[] g = msg.grad();
    for (int i = 0; i < length; i++) {
      gradSum[i] += g[i];
    }
    gathered++;
    if (gathered >= settings.accumulate()) {
      step();
    }
    return Outcome.ACCEPTED;
  }

  private void step() {
    float[] mean = new float[length];
    for (int i = 0; i < length; i++) {
      mean[i] = (float) (gradSum[i] / gathered);
      gradSum[i] = 0;
    }
    gathered = 0;
    if (settings.clipNorm() > 0) {
      Adam.clipByGlobalNorm(mean, settings.clipNorm());
    }
    adam.apply(weights, mean);
    version++;
    updates++;
    sinceCheckpoint++;
    history(SliceHistory.Event.UPDATE, -1);
    if (sinceCheckpoint >= settings.checkpointEvery() && !writeCheckpoint()) {
      return;
    }
    publish();
  }

  /**
   * Writes the checkpoint; on failure (its temporary file removed, the last good checkpoint untouched) logs one line,
   * publishes {@link CheckpointFailed}, marks the slice to stop and returns false.
   */
  private boolean writeCheckpoint() {
    try {
      new SliceCheckpoint(slice, offset, layout.parameterCount(), version, adam.step(), weights, adam.firstMoment(),
          adam.secondMoment()).write(checkpointFile, sink);
    } catch (IOException | UncheckedIOException e) {
      String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
          : String.valueOf(e.getMessage());
      getContext().getLog().error("learner slice {}: cannot write {} ({}); the slice stops, its last good "
          + "checkpoint is kept", slice, checkpointFile, reason);
      getContext().getSystem().eventStream().tell(
          new EventStream.Publish<>(new CheckpointFailed(slice, checkpointFile, reason)));
      failed = true;
      return false;
    }
    sinceCheckpoint = 0;
    checkpoints++;
    history(SliceHistory.Event.CHECKPOINT, -1);
    return true;
  }

  /** Appends an event at the current version to the slice's history; a failed append is logged, never fatal. */
  private void history(SliceHistory.Event event, long from) {
    try {
      SliceHistory.append(historyFile, node, event, version, from);
    } catch (IOException | UncheckedIOException e) {
      getContext().getLog().warn("learner slice {}: cannot append to {}: {}", slice, historyFile, e.toString());
    }
  }

  /** The slice as it is now; {@code updatedAtMillis} 0 for a catch-up (a subscription), else the update's time. */
  private SlicePublished current(long updatedAtMillis) {
    return new SlicePublished(slice, offset, weights.clone(), version, updatedAtMillis);
  }

  private void publish() {
    if (subscribers.isEmpty()) {
      return;
    }
    // wall-clock time, so that a policy actor in another process can measure the publication latency (across
    // machines this needs their clocks in step, for example by NTP)
    SlicePublished msg = current(System.currentTimeMillis());
    if (!sizeOk(msg)) {
      return;
    }
    for (ActorRef<SlicePublished> s : subscribers) {
      s.tell(msg);
    }
  }

  private boolean sizeOk(SlicePublished msg) {
    try {
      guard.check(msg);
      return true;
    } catch (OversizedMessageException e) {
      publishFailures++;
      getContext().getLog().error("learner slice {}: cannot publish version {}: {}", slice, msg.version(),
          e.getMessage());
      return false;
    }
  }

  private Behavior<Command> onSubscribe(Subscribe msg) {
    if (subscribers.add(msg.replyTo())) {
      getContext().watchWith(msg.replyTo(), new SubscriberTerminated(msg.replyTo()));
    }
    if (weights != null) {
      SlicePublished p = current(0);
      if (sizeOk(p)) {
        msg.replyTo().tell(p);
      }
    }
    return this;
  }

  private Behavior<Command> onUnsubscribe(Unsubscribe msg) {
    if (subscribers.remove(msg.replyTo())) {
      getContext().unwatch(msg.replyTo());
    }
    return this;
  }

  private Behavior<Command> onSubscriberTerminated(SubscriberTerminated msg) {
    subscribers.remove(msg.subscriber());
    return this;
  }

  private Behavior<Command> onGetStats(GetStats msg) {
    msg.replyTo().tell(new Stats(slice, weights != null, version, updates, accepted, droppedStale, rejectedNonFinite,
        rejectedOther, notInitialized, publishFailures, checkpoints, subscribers.size()));
    return this;
  }

  private Behavior<Command> onWriteCheckpoint(WriteCheckpoint msg) {
    if (weights != null && !writeCheckpoint()) {
      return next(); // no answer: the asker learns of the failure from CheckpointFailed
    }
    return onGetSlice(new GetSlice(msg.replyTo()));
  }

  private Behavior<Command> onHandOff(HandOff msg) {
    if (weights != null && sinceCheckpoint > 0 && !failed && writeCheckpoint()) {
      getContext().getLog().info("learner slice {} hands off at version {}, checkpointed", slice, version);
    }
    return Behaviors.stopped();
  }

  private Behavior<Command> onGetSlice(GetSlice msg) {
    msg.replyTo().tell(weights == null
        ? new SliceState(slice, offset, new float[0], version, false)
        : new SliceState(slice, offset, weights.clone(), version, true));
    return this;
  }
}
