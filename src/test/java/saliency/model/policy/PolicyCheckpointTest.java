package saliency.model.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.optim.Adam;

/** The policy checkpoint file: round trip, CRC-32 over the payload, bounded lengths, format-1 files. */
class PolicyCheckpointTest {
  private static final String CONFIG = "PolicyConfig[imageSize=32, bins=16]";

  @TempDir Path dir;

  private static float[] ramp(int n, float scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = scale * (i - n / 2f);
    }
    return a;
  }

  private static PolicyCheckpoint withAdam(int n) {
    return new PolicyCheckpoint(CONFIG, ramp(n, 0.01f), Adam.Settings.defaults(1e-3), ramp(n, 1e-4f),
        ramp(n, 1e-6f), 17, 5);
  }

  /** Offset of the parameter count in a format-2 file: magic, format, config length, config bytes. */
  private static int weightsCountOffset() {
    return 4 + 4 + 4 + CONFIG.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void putInt(Path file, int offset, int value) throws IOException {
    byte[] b = Files.readAllBytes(file);
    ByteBuffer.wrap(b).putInt(offset, value);
    Files.write(file, b);
  }

  private static void assertNamesFile(IOException e, Path file, String what) {
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(what), e.getMessage());
  }

  @Test
  void roundTripKeepsEverything() throws IOException {
    Path file = dir.resolve("policy.ckpt");
    PolicyCheckpoint c = withAdam(100);
    c.save(file);
    PolicyCheckpoint back = PolicyCheckpoint.load(file);
    assertEquals(CONFIG, back.configText());
    assertArrayEquals(c.weights(), back.weights());
    assertArrayEquals(c.adamM(), back.adamM());
    assertArrayEquals(c.adamV(), back.adamV());
    assertEquals(c.adamSettings(), back.adamSettings());
    assertEquals(17, back.adamStep());
    assertEquals(5, back.version());

    new PolicyCheckpoint("", new float[0], null, null, null, 0, 0).save(file);
    PolicyCheckpoint empty = PolicyCheckpoint.load(file);
    assertEquals(0, empty.weights().length);
    assertNull(empty.adamM());
  }

  @Test
  void flippedByteInTheWeightsFailsTheChecksum() throws IOException {
    Path file = dir.resolve("policy.ckpt");
    withAdam(100).save(file);
    byte[] b = Files.readAllBytes(file);
    b[weightsCountOffset() + 4 + 4 * 37 + 1] ^= 0x10;
    Files.write(file, b);
    IOException e = assertThrows(IOException.class, () -> PolicyCheckpoint.load(file));
    assertNamesFile(e, file, "checksum");
  }

  @Test
  void flippedParameterCountIsRefusedBeforeAllocating() throws IOException {
    Path file = dir.resolve("policy.ckpt");
    withAdam(100).save(file);
    for (int count : new int[] {Integer.MAX_VALUE, 0x10000064, 101, -100}) {
      putInt(file, weightsCountOffset(), count);
      IOException e = assertThrows(IOException.class, () -> PolicyCheckpoint.load(file), "count " + count);
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
  }

  @Test
  void flippedConfigLengthIsRefusedBeforeAllocating() throws IOException {
    Path file = dir.resolve("policy.ckpt");
    withAdam(10).save(file);
    for (int len : new int[] {Integer.MAX_VALUE, -1, 1 << 24}) {
      putInt(file, 8, len);
      IOException e = assertThrows(IOException.class, () -> PolicyCheckpoint.load(file), "length " + len);
      assertNamesFile(e, file, "config text length");
    }
  }

  @Test
  void adamMomentsCountMustEqualTheWeightsCount() throws IOException {
    Path file = dir.resolve("policy.ckpt");
    int n = 20;
    withAdam(n).save(file);
    // weights count, weights, Adam flag, 4 doubles, step
    int mCount = weightsCountOffset() + 4 + 4 * n + 1 + 32 + 8;
    putInt(file, mCount, 10);
    IOException e = assertThrows(IOException.class, () -> PolicyCheckpoint.load(file));
    assertNamesFile(e, file, "Adam first moments");
  }

  @Test
  void truncatedAndTrailingBytesAreErrorsNamingTheFile() throws IOException {
    Path file = dir.resolve("policy.ckpt");
    withAdam(30).save(file);
    byte[] b = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(b, b.length - 10));
    assertNamesFile(assertThrows(IOException.class, () -> PolicyCheckpoint.load(file)), file, "");
    Files.write(file, java.util.Arrays.copyOf(b, b.length + 3));
    assertNamesFile(assertThrows(IOException.class, () -> PolicyCheckpoint.load(file)), file, "after the end");
    Files.write(file, new byte[] {1, 2, 3});
    assertNamesFile(assertThrows(IOException.class, () -> PolicyCheckpoint.load(file)), file, "not a policy");
  }

  /** A file as format 1 wrote it: config as writeUTF, no checksum. */
  private static byte[] formatOne(String config, float[] w, int declaredCount) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(0x53504F4C);
      out.writeInt(1);
      out.writeUTF(config);
      out.writeInt(declaredCount);
      for (float x : w) {
        out.writeFloat(x);
      }
      out.writeBoolean(false);
      out.writeLong(9);
    }
    return bytes.toByteArray();
  }

  @Test
  void formatOneFilesStillLoadWithBoundedLengths() throws IOException {
    Path file = dir.resolve("old.ckpt");
    float[] w = ramp(12, 0.5f);
    Files.write(file, formatOne(CONFIG, w, w.length));
    PolicyCheckpoint c = PolicyCheckpoint.load(file);
    assertArrayEquals(w, c.weights());
    assertEquals(CONFIG, c.configText());
    assertEquals(9, c.version());
    assertNull(c.adamM());

    Files.write(file, formatOne(CONFIG, w, Integer.MAX_VALUE - 1));
    IOException e = assertThrows(IOException.class, () -> PolicyCheckpoint.load(file));
    assertNamesFile(e, file, "out of bounds");
  }
}
