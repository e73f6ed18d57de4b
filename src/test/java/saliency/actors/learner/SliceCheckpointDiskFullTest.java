package saliency.actors.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.TestConfigs;
import saliency.actors.settings.SaliencySettings;
import saliency.actors.settings.SliceLayout;

/** A checkpoint write that fails part way (a full disk) leaves no temporary file and the last good checkpoint. */
class SliceCheckpointDiskFullTest {
  @TempDir Path dir;

  /** Writes the first {@code bytes} bytes of the checkpoint, then fails as a full disk does. */
  static SliceCheckpoint.Sink fullAfter(int bytes) {
    return (tmp, data) -> {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(data.slice().limit(Math.min(bytes, data.remaining())));
      }
      throw new IOException("No space left on device");
    };
  }

  static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  static void assertNoTempFile(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a .tmp file stayed in " + folder);
    }
  }

  @Test
  void failedWriteRemovesItsTempFileAndKeepsTheLastCheckpoint() throws IOException {
    Path file = SliceCheckpoint.file(dir, 0);
    new SliceCheckpoint(0, 0, 10, 4, 4, filled(10, 1f), filled(10, 0f), filled(10, 0f)).write(file);
    SliceCheckpoint newer = new SliceCheckpoint(0, 0, 10, 6, 6, filled(10, 2f), filled(10, 0f), filled(10, 0f));
    IOException e = assertThrows(IOException.class, () -> newer.write(file, fullAfter(30)));
    assertTrue(e.getMessage().contains("No space left"), e.getMessage());
    assertNoTempFile(file.getParent());
    SliceCheckpoint kept = SliceCheckpoint.read(file).orElseThrow();
    assertEquals(4, kept.version());
    assertArrayEquals(filled(10, 1f), kept.weights());
  }

  @Test
  void learnerSliceOnAFullDiskStopsAndKeepsItsLastCheckpoint() throws IOException {
    ActorTestKit kit = ActorTestKit.create("diskfull", TestConfigs.cluster(dir.resolve("kit"), ""));
    try {
      SaliencySettings.Learner l = SaliencySettings.fromConfig(kit.system().settings().config()).learner();
      AtomicBoolean full = new AtomicBoolean(false);
      SliceCheckpoint.Sink sink = (tmp, data) -> {
        if (full.get()) {
          fullAfter(20).write(tmp, data);
        } else {
          SliceCheckpoint.writeAndForce(tmp, data);
        }
      };
      Path run = dir.resolve("run");
      ActorRef<LearnerShard.Command> shard =
          kit.spawn(LearnerShard.create(0, new SliceLayout(16, 1), l, run, 1 << 20, false, sink));
      TestProbe<LearnerShard.Initialized> init = kit.createTestProbe();
      shard.tell(new LearnerShard.Initialize(filled(16, 0.5f), init.ref()));
      assertTrue(init.receiveMessage(Duration.ofSeconds(10)).applied());

      full.set(true);
      TestProbe<LearnerShard.SliceState> state = kit.createTestProbe();
      shard.tell(new LearnerShard.WriteCheckpoint(state.ref()));
      state.expectTerminated(shard, Duration.ofSeconds(10));

      Path file = SliceCheckpoint.file(run, 0);
      assertNoTempFile(file.getParent());
      SliceCheckpoint kept = SliceCheckpoint.read(file).orElseThrow();
      assertEquals(0, kept.version());
      assertArrayEquals(filled(16, 0.5f), kept.weights());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
