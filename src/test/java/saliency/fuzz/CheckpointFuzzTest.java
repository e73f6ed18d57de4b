package saliency.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.learner.SliceCheckpoint;
import saliency.model.optim.Adam;
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.segment.PromptSegmenter;
import saliency.model.segment.SegmenterCheckpoint;

/**
 * Mutated checkpoint files for the three checkpoint readers: only IOException may escape (each documents it), never
 * an Error, and each case ends within {@link Fuzz#CASE_LIMIT}. Half of the mutants get their checksum fixed so that the
 * length checks behind it are reached too.
 */
class CheckpointFuzzTest {
  private static final int CASES = 400;
  private static final List<Class<? extends Throwable>> IO = List.of(IOException.class);

  @TempDir Path dir;

  private static float[] ramp(int n, float step) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = i * step;
    }
    return a;
  }

  /** Rewrites a CRC-32 trailer of {@code width} bytes (4 or 8) over {@code [from, length - width)}. */
  private static void fixCrc(byte[] b, int from, int width) {
    if (b.length < from + width) {
      return;
    }
    CRC32 crc = new CRC32();
    crc.update(b, from, b.length - width - from);
    ByteBuffer buf = ByteBuffer.wrap(b, b.length - width, width);
    if (width == 4) {
      buf.putInt((int) crc.getValue());
    } else {
      buf.putLong(crc.getValue());
    }
  }

  @Test
  void policyCheckpoint() throws IOException {
    Path good = dir.resolve("policy.ckpt");
    int n = 64;
    new PolicyCheckpoint("{\"hidden\":8}", ramp(n, 0.01f), Adam.Settings.defaults(1e-3), ramp(n, 1e-4f),
        ramp(n, 1e-5f), 7, 42).save(good);
    byte[] valid = Files.readAllBytes(good);
    Random rnd = new Random(11);
    long largest = 0;
    int loaded = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] b = Mutator.mutate(valid, rnd);
      if (i % 4 == 1 && b.length >= 8) {
        b[7] = 1; // format 1: no checksum at all, only the length bounds
      } else if (i % 2 == 0) {
        fixCrc(b, 8, 4);
      }
      Path f = dir.resolve("case.ckpt");
      Files.write(f, b);
      PolicyCheckpoint c = Fuzz.check("PolicyCheckpoint", i, b, IO, () -> PolicyCheckpoint.load(f));
      if (c != null) {
        loaded++;
        largest = Math.max(largest, 4L * c.weights().length * (c.adamM() == null ? 1 : 3));
      }
    }
    System.out.printf("fuzz PolicyCheckpoint.load: %d cases, 0 failures, %d loaded, largest arrays %d bytes "
        + "(file %d bytes)%n", CASES, loaded, largest, valid.length);
  }

  @Test
  void sliceCheckpoint() throws IOException {
    Path good = dir.resolve("slice-00000.ckpt");
    int n = 50;
    new SliceCheckpoint(0, 0, n, 9, 3, ramp(n, 0.5f), ramp(n, 0.1f), ramp(n, 0.2f)).write(good);
    byte[] valid = Files.readAllBytes(good);
    Random rnd = new Random(12);
    long largest = 0;
    int loaded = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] b = Mutator.mutate(valid, rnd);
      if (i % 2 == 0) {
        fixCrc(b, 0, 8);
      }
      Path f = dir.resolve("case.ckpt");
      Files.write(f, b);
      SliceCheckpoint c = Fuzz.check("SliceCheckpoint", i, b, IO, () -> SliceCheckpoint.read(f).orElseThrow());
      if (c != null) {
        loaded++;
        largest = Math.max(largest, 12L * c.weights().length);
      }
    }
    System.out.printf("fuzz SliceCheckpoint.read: %d cases, 0 failures, %d loaded, largest arrays %d bytes "
        + "(file %d bytes)%n", CASES, loaded, largest, valid.length);
  }

  @Test
  void segmenterCheckpoint() throws IOException {
    try (PromptSegmenter seg = PromptSegmenter.create(1, 1)) {
      Path good = dir.resolve("segmenter.ckpt");
      SegmenterCheckpoint.save(seg, good);
      byte[] valid = Files.readAllBytes(good);
      Random rnd = new Random(13);
      int loaded = 0;
      int cases = CASES / 2; // each accepted case loads the weights into TensorFlow
      for (int i = 0; i < cases; i++) {
        byte[] b = Mutator.mutate(valid, rnd);
        if (i % 2 == 0) {
          fixCrc(b, 12, 8);
        }
        Path f = dir.resolve("case.ckpt");
        Files.write(f, b);
        Boolean ok = Fuzz.check("SegmenterCheckpoint", i, b, IO, () -> {
          SegmenterCheckpoint.load(f, seg);
          return true;
        });
        loaded += ok == null ? 0 : 1;
      }
      assertTrue(valid.length > 4L * seg.parameterCount());
      System.out.printf("fuzz SegmenterCheckpoint.load: %d cases, 0 failures, %d loaded, largest array %d bytes "
          + "(count checked against the segmenter's before allocating)%n", cases, loaded, 4L * seg.parameterCount());
    }
  }
}
