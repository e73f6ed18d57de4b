package saliency.actors.serialization.kryo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.io.Output;
import java.io.NotSerializableException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.cluster.NodeWorker;
import saliency.actors.cluster.RunLayout;
import saliency.actors.learner.LearnerShard;
import saliency.actors.learner.ShardedLearnerClient;
import saliency.actors.policy.PolicyActor;
import saliency.actors.serialization.KryoSerializable;
import saliency.actors.serialization.MessageSizeGuard;
import saliency.actors.serialization.OversizedMessageException;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;
import saliency.streams.Completion;
import saliency.streams.Gradient;
import saliency.streams.GradientExample;
import saliency.streams.PipelineStats;
import saliency.streams.PolicyVersion;

class KryoSerializerTest {
  @TempDir static Path runDir;
  static ActorTestKit kit;
  static SaliencySettings settings;
  static SerializationTestKit serialization;

  /** A remote-marked message that is deliberately not registered. */
  record Unregistered(int x) implements KryoSerializable {}

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("kryo", TestConfigs.cluster(runDir, ""));
    settings = SaliencySettings.fromConfig(kit.system().settings().config());
    serialization = new SerializationTestKit(kit.system());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** Field-by-field equality of records, arrays by content, nested records recursively. */
  static void assertDeepEquals(Object expected, Object actual) {
    if (expected == null || actual == null) {
      assertEquals(expected, actual);
      return;
    }
    assertEquals(expected.getClass(), actual.getClass());
    if (expected.getClass().isRecord()) {
      for (RecordComponent rc : expected.getClass().getRecordComponents()) {
        try {
          assertDeepEquals(rc.getAccessor().invoke(expected), rc.getAccessor().invoke(actual));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    } else if (expected instanceof Object[] ea) {
      Object[] aa = (Object[]) actual;
      assertEquals(ea.length, aa.length);
      for (int i = 0; i < ea.length; i++) {
        assertDeepEquals(ea[i], aa[i]);
      }
    } else if (expected.getClass().isArray()) {
      assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {actual}),
          "arrays differ: " + Arrays.deepToString(new Object[] {expected}) + " vs "
              + Arrays.deepToString(new Object[] {actual}));
    } else {
      assertEquals(expected, actual);
    }
  }

  static void roundTrip(Object msg) {
    Serializer s = SerializationExtension.get(Adapter.toClassic(kit.system())).findSerializerFor(msg);
    if (msg instanceof KryoSerializable) {
      assertInstanceOf(KryoSerializer.class, s, msg.getClass().getName());
    }
    assertDeepEquals(msg, serialization.verifySerialization(msg, false));
  }

  @Test
  void everyLearnerMessageRoundTrips() {
    TestProbe<Object> probe = kit.createTestProbe();
    ActorRef<LearnerShard.SlicePublished> sub = kit.<LearnerShard.SlicePublished>createTestProbe().ref();
    float[] w = {1.5f, -2f, Float.MIN_VALUE};
    List<Object> messages = List.of(
        new LearnerShard.Initialize(w, kit.<LearnerShard.Initialized>createTestProbe().ref()),
        new LearnerShard.Initialize(w, null),
        new LearnerShard.GradientSlice(3, w, 7L, 4, kit.<LearnerShard.GradientProcessed>createTestProbe().ref()),
        new LearnerShard.GradientSlice(3, w, 7L, 4, null),
        new LearnerShard.Subscribe(sub),
        new LearnerShard.Unsubscribe(sub),
        new LearnerShard.GetStats(kit.<LearnerShard.Stats>createTestProbe().ref()),
        new LearnerShard.GetSlice(kit.<LearnerShard.SliceState>createTestProbe().ref()),
        new LearnerShard.SubscriberTerminated(sub),
        new LearnerShard.Initialized(2, 9L, true),
        new LearnerShard.GradientProcessed(1, LearnerShard.Outcome.STALE, 12L),
        new LearnerShard.SlicePublished(1, 100, w, 5L),
        new LearnerShard.Stats(1, true, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
        new LearnerShard.SliceState(0, 0, new float[0], 0, false));
    for (Object m : messages) {
      roundTrip(m);
    }
    assertTrue(probe.ref().path().toString().contains("kryo"));
  }

  @Test
  void actorRefTravelsAsResolvablePath() {
    TestProbe<LearnerShard.SlicePublished> sub = kit.createTestProbe();
    LearnerShard.Subscribe back = serialization.verifySerialization(new LearnerShard.Subscribe(sub.ref()), false);
    assertEquals(sub.ref(), back.replyTo());
    LearnerShard.SlicePublished p = new LearnerShard.SlicePublished(0, 0, new float[] {1}, 1);
    back.replyTo().tell(p);
    assertEquals(p, sub.receiveMessage());
  }

  @Test
  void everyPolicyMessageRoundTrips() {
    PolicyVersion v = new PolicyVersion(new long[] {1, 2, 3});
    Completion c = new Completion(new int[] {5, 6}, "<rg>[[0.1,0.2]]</rg>", new float[] {-0.1f, -0.2f});
    @SuppressWarnings("unchecked")
    GradientExample<String>[] batch = new GradientExample[] {new GradientExample<>("img-1", new int[] {1, 2}, 0.5,
        new float[] {-1f, -2f})};
    List<Object> messages = List.of(
        new PolicyActor.SampleRequest<>("img-1", 2, kit.<StatusReply<PolicyActor.Sampled>>createTestProbe().ref()),
        new PolicyActor.ScoreRequest<>("img-1", new int[][] {{1, 2}, {3}},
            kit.<StatusReply<PolicyActor.Scored>>createTestProbe().ref()),
        new PolicyActor.GradientRequest<>(batch,
            kit.<StatusReply<PolicyActor.GradientsComputed>>createTestProbe().ref()),
        new PolicyActor.GetVersion(kit.<PolicyActor.VersionReport>createTestProbe().ref()),
        new PolicyActor.SliceArrived(new LearnerShard.SlicePublished(0, 0, new float[] {2f}, 3)),
        new PolicyActor.Resubscribe(),
        new PolicyActor.Sampled(new Completion[] {c, c}, v),
        new PolicyActor.Scored(new float[][] {{-1f}, {-2f, -3f}}, v),
        new PolicyActor.GradientsComputed(new float[] {0.5f}, 1.25, v),
        new PolicyActor.VersionReport(v, 4, 5));
    for (Object m : messages) {
      roundTrip(m);
    }
  }

  @Test
  void everyClusterRunMessageRoundTrips() {
    RunLayout layout = new RunLayout("r1", 10, 2, "/runs/a", "seed=1\n", "{\"saliency\":{}}", "synthetic");
    PipelineStats.Snapshot stats = new PipelineStats.Snapshot(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "gradient: x");
    NodeWorker.NodeProgress progress = new NodeWorker.NodeProgress("r1", "pekko://saliency@h:1", true, stats, 3,
        0.5, Double.NaN, 7, 12, 3.5, 41.0);
    List<Object> messages = List.of(
        new NodeWorker.PrepareRun(layout, kit.<NodeWorker.RunPrepared>createTestProbe().ref()),
        new NodeWorker.StartTraining("r1", 1, 2, 24, kit.<NodeWorker.Reply>createTestProbe().ref(),
            kit.<NodeWorker.TrainingStarted>createTestProbe().ref()),
        new NodeWorker.GetProgress("r1", kit.<NodeWorker.NodeProgress>createTestProbe().ref()),
        new NodeWorker.StopTraining("r1", kit.<NodeWorker.TrainingStopped>createTestProbe().ref()),
        new NodeWorker.RunPrepared("r1", "pekko://saliency@h:1", new String[] {"learner", "policy"}, ""),
        new NodeWorker.TrainingStarted("r1", "pekko://saliency@h:1", "no role policy"),
        progress,
        new NodeWorker.TrainingStopped("r1", progress));
    for (Object m : messages) {
      roundTrip(m);
    }
  }

  @Test
  void clusterRunMessagesFitTheFrame() {
    // a run layout carries the settings file and the driver's learner and pipeline config: a few KiB
    String text = "x".repeat(16 * 1024);
    RunLayout layout = new RunLayout("r1", 10, 2, "/runs/a", text, text, "synthetic");
    int size = new MessageSizeGuard(kit.system(), settings.messageSizeLimit(), true)
        .check(new NodeWorker.PrepareRun(layout, kit.<NodeWorker.RunPrepared>createTestProbe().ref()));
    assertTrue(size > 2 * text.length() && size < settings.messageSizeLimit(), "size " + size);
  }

  @Test
  void statusReplyWithKryoPayloadRoundTrips() {
    PolicyActor.Sampled payload = new PolicyActor.Sampled(new Completion[0], new PolicyVersion(new long[] {1}));
    StatusReply<?> back = serialization.verifySerialization(StatusReply.success(payload), false);
    assertDeepEquals(payload, back.getValue());
    StatusReply<?> err = serialization.verifySerialization(StatusReply.error("sample failed: x"), false);
    assertTrue(err.isError());
    assertEquals("sample failed: x", err.getError().getMessage());
  }

  @Test
  void unregisteredClassIsRefusedOnBothEnds() throws Exception {
    Serialization ser = SerializationExtension.get(Adapter.toClassic(kit.system()));
    Serializer kryo = ser.serializerFor(KryoSerializable.class);
    assertInstanceOf(KryoSerializer.class, kryo);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kryo.toBinary(new Unregistered(1)));
    assertTrue(e.getMessage().contains(Unregistered.class.getName()), e.getMessage());
    // a frame naming a class id nobody registered (id 777) fails instead of instantiating anything
    Output out = new Output(16);
    out.writeVarInt(777 + 2, true);
    byte[] bytes = out.toBytes();
    NotSerializableException r = assertThrows(NotSerializableException.class, () -> kryo.fromBinary(bytes, Object.class));
    assertTrue(r.getMessage().contains("777"), r.getMessage());
  }

  static Serializer kryo() throws NotSerializableException {
    return SerializationExtension.get(Adapter.toClassic(kit.system())).serializerFor(KryoSerializable.class);
  }

  @Test
  void tenByteFrameDeclaringAHugeArrayIsRefusedBeforeAllocating() throws Exception {
    // class id of float[] (first built-in registration), then a length of about 2^31 floats (8 GiB), padded to 10 bytes
    Output out = new Output(16);
    out.writeVarInt(KryoRegistrations.FIRST_ID + 2, true);
    out.writeVarInt(Integer.MAX_VALUE - 16, true);
    out.writeInt(0);
    byte[] frame = out.toBytes();
    assertEquals(10, frame.length);
    NotSerializableException e = assertThrows(NotSerializableException.class, () -> kryo().fromBinary(frame, Object.class));
    assertTrue(e.getMessage().contains("floats"), e.getMessage());
    // the same for every other array and string kind the registrations read
    for (Class<?> c : List.of(long[].class, int[].class, double[].class, float[][].class, Object[].class,
        Completion[].class)) {
      Output o = new Output(16);
      o.writeVarInt(KryoRegistrations.FIRST_ID + KryoRegistrations.builtIn().indexOf(c) + 2, true);
      o.writeVarInt(Integer.MAX_VALUE - 16, true);
      o.writeInt(0);
      assertThrows(NotSerializableException.class, () -> kryo().fromBinary(o.toBytes(), Object.class), c.getName());
    }
  }

  @Test
  void forgedLengthsInsideRealMessagesAreRefused() throws Exception {
    // a real message whose float[] length field is replaced by a huge one; a UTF-8 string declaring 2^30 chars
    byte[] good = kryo().toBinary(new LearnerShard.SlicePublished(1, 100, new float[] {1f, 2f, 3f}, 5L));
    assertDeepEquals(new LearnerShard.SlicePublished(1, 100, new float[] {1f, 2f, 3f}, 5L),
        kryo().fromBinary(good, Object.class));
    int at = -1;
    for (int i = 0; i < good.length; i++) {
      if (good[i] == 4) { // varint length 3 + 1 of the float array
        at = i;
      }
    }
    assertTrue(at > 0);
    Output out = new Output(64);
    out.writeBytes(good, 0, at);
    out.writeVarInt(1_000_000_000, true);
    out.writeBytes(good, at + 1, good.length - at - 1);
    byte[] forged = out.toBytes();
    assertThrows(NotSerializableException.class, () -> kryo().fromBinary(forged, Object.class));
    Output s = new Output(64);
    s.writeVarInt(KryoRegistrations.FIRST_ID + KryoRegistrations.builtIn().indexOf(Completion.class) + 2, true);
    s.writeVarInt(1, true); // int[] tokens: empty
    s.writeVarIntFlag(true, (1 << 30) + 1, true); // UTF-8 text of 2^30 chars
    s.writeInt(0);
    assertThrows(NotSerializableException.class, () -> kryo().fromBinary(s.toBytes(), Object.class));
    // trailing bytes after a complete message
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThrows(NotSerializableException.class, () -> kryo().fromBinary(longer, Object.class));
  }

  @Test
  void deeplyNestedFrameIsRefusedWithoutStackOverflow() {
    // Object[] { Object[] { Object[] { ... } } }: two bytes per level, far deeper than any message
    int objectArrayId = KryoRegistrations.FIRST_ID + KryoRegistrations.builtIn().indexOf(Object[].class) + 2;
    Output out = new Output(1 << 16);
    for (int i = 0; i < 20_000; i++) {
      out.writeVarInt(objectArrayId, true);
      out.writeVarInt(2, true);
    }
    out.writeVarInt(0, true);
    byte[] frame = out.toBytes();
    assertThrows(NotSerializableException.class, () -> kryo().fromBinary(frame, Object.class));
  }

  @Test
  void javaSerializationIsOff() {
    assertFalse(kit.system().settings().config().getBoolean("pekko.actor.allow-java-serialization"));
    Serialization ser = SerializationExtension.get(Adapter.toClassic(kit.system()));
    assertThrows(Exception.class, () -> ser.serializerFor(java.util.ArrayList.class).toBinary(new java.util.ArrayList<>()));
  }

  @Test
  void largestSliceMessagesFitTheFrame() {
    MessageSizeGuard guard = new MessageSizeGuard(kit.system(), settings.messageSizeLimit(), true);
    int maxFloats = settings.maxFloatsPerSlice();
    assertEquals(256 * 1024, settings.maximumFrameSize());
    // a policy far larger than one frame: the layout raises the slice count so each slice fits
    SliceLayout layout = settings.layout(5_000_000);
    assertTrue(layout.slices() > settings.learner().slices());
    assertTrue(layout.maxLength() <= maxFloats);
    float[] biggest = new float[layout.maxLength()];
    Arrays.fill(biggest, 1.0e-3f);
    ActorRef<LearnerShard.GradientProcessed> replyTo = kit.<LearnerShard.GradientProcessed>createTestProbe().ref();
    int published = guard.check(new LearnerShard.SlicePublished(layout.slices() - 1, 4_999_000, biggest, 1L << 40));
    int gradient = guard.check(new LearnerShard.GradientSlice(layout.slices() - 1, biggest, 1L << 40, 64, replyTo));
    int atLimit = guard.check(new LearnerShard.SlicePublished(0, 0, new float[maxFloats], Long.MAX_VALUE));
    for (int size : new int[] {published, gradient, atLimit}) {
      assertTrue(size <= settings.messageSizeLimit() && size < settings.maximumFrameSize(), "size " + size);
    }
  }

  @Test
  void fixedShapeMessagesAreMeasuredOnceAndStayWithinTheirBound() {
    MessageSizeGuard guard = new MessageSizeGuard(kit.system(), settings.messageSizeLimit(), true);
    float[] w = new float[1000];
    LearnerShard.SlicePublished first = new LearnerShard.SlicePublished(0, 0, w, 1);
    int measured = guard.check(first);
    assertEquals(guard.serializedSize(first), measured);
    // the same shape with the widest numbers: passed on the measured size, which the real size exceeds by at most
    // the allowance for variable-length numbers
    LearnerShard.SlicePublished widest = new LearnerShard.SlicePublished(Integer.MAX_VALUE, Integer.MAX_VALUE, w,
        Long.MAX_VALUE);
    assertEquals(measured, guard.check(widest));
    int real = guard.serializedSize(widest);
    assertTrue(real > measured && real <= measured + MessageSizeGuard.VARIABLE_BYTES, real + " vs " + measured);
    // an actor path has no fixed size: such a message is serialized every time
    ActorRef<LearnerShard.GradientProcessed> replyTo = kit.<LearnerShard.GradientProcessed>createTestProbe().ref();
    LearnerShard.GradientSlice withPath = new LearnerShard.GradientSlice(0, w, 1, 1, replyTo);
    assertEquals(-1, withPath.shapeKey());
    assertEquals(guard.serializedSize(withPath), guard.check(withPath));
  }

  @Test
  void oversizedMessageIsReportedNotDropped() throws Exception {
    MessageSizeGuard guard = new MessageSizeGuard(kit.system(), settings.messageSizeLimit(), true);
    float[] tooBig = new float[settings.messageSizeLimit() / 4 + 1];
    OversizedMessageException e = assertThrows(OversizedMessageException.class,
        () -> guard.check(new LearnerShard.SlicePublished(0, 0, tooBig, 1)));
    assertTrue(e.size() > e.limit());
    assertTrue(e.getMessage().contains("SlicePublished"), e.getMessage());

    // a client on a layout too coarse for the frame fails the submission instead of sending
    SliceLayout coarse = new SliceLayout(200_000, 1);
    LearnerShard.initSharding(kit.system(), settings, coarse);
    ShardedLearnerClient client = new ShardedLearnerClient(kit.system(), coarse, guard, Duration.ofSeconds(1));
    ExecutionException ex = assertThrows(ExecutionException.class, () -> client
        .submit(new Gradient(new float[200_000], PolicyVersion.initial(1), 1, 0))
        .toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertInstanceOf(OversizedMessageException.class, ex.getCause());
    assertThrows(OversizedMessageException.class, () -> client.initialize(new float[200_000]));
  }

  @Test
  void learnerCountsPublicationsItCannotSend() {
    // a slice whose messages cannot fit a (tiny) limit reports the failed publication in its stats
    SaliencySettings.Learner l = settings.learner();
    ActorRef<LearnerShard.Command> shard = kit.spawn(
        LearnerShard.create(0, new SliceLayout(100, 1), l, runDir.resolve("tiny"), 128, true));
    TestProbe<LearnerShard.SlicePublished> sub = kit.createTestProbe();
    shard.tell(new LearnerShard.Subscribe(sub.ref()));
    TestProbe<LearnerShard.Initialized> init = kit.createTestProbe();
    shard.tell(new LearnerShard.Initialize(new float[100], init.ref()));
    assertTrue(init.receiveMessage().applied());
    TestProbe<LearnerShard.Stats> stats = kit.createTestProbe();
    shard.tell(new LearnerShard.GetStats(stats.ref()));
    assertEquals(1, stats.receiveMessage().publishFailures());
    sub.expectNoMessage(Duration.ofMillis(100));
  }

}
