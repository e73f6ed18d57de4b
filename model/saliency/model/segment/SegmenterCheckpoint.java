package saliency.model.segment;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Reads and writes the weights of a {@link PromptSegmenter} ({@code segmenter.ckpt}); stateless.
 *
 * <p>Layout (big-endian): magic {@code "SSEG"}, format version, parameter count, the weights, a CRC-32 of the weights.
 * Writes go to a temporary file that is then renamed; a read checks the count against the segmenter's before it
 * allocates and the checksum before it returns.
 */
public final class SegmenterCheckpoint {
  private static final int MAGIC = 0x53534547; // "SSEG"
  private static final int FORMAT = 1;

  private SegmenterCheckpoint() {}

  /** Writes {@code segmenter}'s weights to {@code file} atomically. */
  public static void save(PromptSegmenter segmenter, Path file) throws IOException {
    Objects.requireNonNull(segmenter, "segmenter");
    float[] w = segmenter.getWeights();
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(w.length);
        CRC32 crc = new CRC32();
        for (float v : w) {
          int bits = Float.floatToRawIntBits(v);
          out.writeInt(bits);
          crc.update(bits >>> 24);
          crc.update(bits >>> 16);
          crc.update(bits >>> 8);
          crc.update(bits);
        }
        out.writeLong(crc.getValue());
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Loads {@code file} into {@code segmenter}; a wrong magic, count or checksum is an IOException naming the file. */
  public static void load(Path file, PromptSegmenter segmenter) throws IOException {
    Objects.requireNonNull(segmenter, "segmenter");
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + ": not a segmenter checkpoint (bad magic)");
      }
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IOException(file + ": segmenter checkpoint format " + format + ", this program reads " + FORMAT);
      }
      int n = in.readInt();
      if (n != segmenter.parameterCount()) {
        throw new IOException(file + ": " + n + " weights, the segmenter has " + segmenter.parameterCount());
      }
      float[] w = new float[n];
      CRC32 crc = new CRC32();
      for (int i = 0; i < n; i++) {
        int bits = in.readInt();
        crc.update(bits >>> 24);
        crc.update(bits >>> 16);
        crc.update(bits >>> 8);
        crc.update(bits);
        w[i] = Float.intBitsToFloat(bits);
      }
      if (in.readLong() != crc.getValue()) {
        throw new IOException(file + ": checksum mismatch, the segmenter weights are damaged");
      }
      try {
        segmenter.setWeights(w);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    } catch (EOFException e) {
      throw new IOException(file + ": truncated segmenter checkpoint", e);
    }
  }
}
