package saliency.actors.learner;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The durable state of one learner slice (weights, Adam moments and step, version) and its file format; immutable by
 * convention (arrays are not copied).
 *
 * <p>Written to a temporary file in the same directory, forced to disk, then renamed over the previous checkpoint
 * with {@code ATOMIC_MOVE}, so a crash leaves either the old or the new checkpoint, never a torn one. A CRC32 trailer
 * catches corrupt files, which fail the restore with the file name.
 */
public record SliceCheckpoint(
    int sliceIndex, int offset, int parameterCount, long version, long adamStep, float[] weights, float[] m,
    float[] v) {
  private static final int MAGIC = 0x53_4C_43_4B; // "SLCK"
  private static final int FORMAT = 1;
  /** Bytes before the arrays: magic, format, slice, offset, parameter count, version, Adam step, length. */
  private static final int HEADER_BYTES = 4 * 5 + 8 * 2 + 4;

  public SliceCheckpoint {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(m, "m");
    Objects.requireNonNull(v, "v");
    if (m.length != weights.length || v.length != weights.length) {
      throw new IllegalArgumentException("weights and moments differ in length");
    }
  }

  /** The checkpoint file of slice {@code slice} under a run directory. */
  public static Path file(Path runDir, int slice) {
    return runDir.resolve("learner").resolve(String.format("slice-%05d.ckpt", slice));
  }

  /**
   * Writes atomically (temp file, fsync, atomic rename); when any step fails (e.g. a full disk) the temporary file is
   * removed and the previous checkpoint is left as it was.
   */
  public void write(Path file) throws IOException {
    write(file, SliceCheckpoint::writeAndForce);
  }

  /** {@link #write(Path)} through {@code sink}. */
  void write(Path file, Sink sink) throws IOException {
    Objects.requireNonNull(sink, "sink");
    Files.createDirectories(file.getParent());
    // the layout DataOutputStream would write (big-endian), put in bulk: element by element took most of a write
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 12 * weights.length + 8);
    buf.putInt(MAGIC).putInt(FORMAT).putInt(sliceIndex).putInt(offset).putInt(parameterCount).putLong(version)
        .putLong(adamStep).putInt(weights.length);
    for (float[] a : new float[][] {weights, m, v}) {
      buf.asFloatBuffer().put(a);
      buf.position(buf.position() + 4 * a.length);
    }
    CRC32 crc = new CRC32();
    crc.update(buf.array(), 0, buf.position());
    buf.putLong(crc.getValue()).flip();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      sink.write(tmp, buf);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // a full disk or any other failure: no partial temporary file stays behind, the previous checkpoint is untouched
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException d) {
        e.addSuppressed(d);
      }
      throw e;
    }
  }

  /** Writes {@code data} to {@code tmp} and forces it to disk. */
  static void writeAndForce(Path tmp, ByteBuffer data) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (data.hasRemaining()) {
        ch.write(data);
      }
      ch.force(true);
    }
  }

  /** How the bytes of a checkpoint reach its temporary file (a seam for tests that make the write fail). */
  @FunctionalInterface
  interface Sink {
    /** Writes all of {@code data} to {@code tmp} durably, or throws. */
    void write(Path tmp, ByteBuffer data) throws IOException;
  }

  /**
   * Reads a checkpoint if {@code file} exists; a corrupt file is an {@link IOException} naming it (the array length is
   * checked against the file's size before anything is allocated).
   */
  public static Optional<SliceCheckpoint> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] all = Files.readAllBytes(file);
    if (all.length < 8) {
      throw new IOException(file + ": checkpoint truncated (" + all.length + " bytes)");
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
    if (stored != crc.getValue()) {
      throw new IOException(file + ": checkpoint checksum mismatch");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + ": not a learner slice checkpoint");
      }
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IOException(file + ": unsupported checkpoint format " + format);
      }
      int slice = in.readInt();
      int offset = in.readInt();
      int p = in.readInt();
      long version = in.readLong();
      long step = in.readLong();
      int n = in.readInt();
      long left = all.length - 8 - HEADER_BYTES;
      if (n < 0 || 12L * n != left) {
        throw new IOException(file + ": checkpoint declares " + n + " weights but holds " + left + " bytes of arrays");
      }
      float[][] arrays = new float[3][n];
      ByteBuffer body = ByteBuffer.wrap(all, HEADER_BYTES, 12 * n);
      for (float[] a : arrays) {
        body.asFloatBuffer().get(a);
        body.position(body.position() + 4 * n);
      }
      return Optional.of(new SliceCheckpoint(slice, offset, p, version, step, arrays[0], arrays[1], arrays[2]));
    } catch (EOFException e) {
      throw new IOException(file + ": checkpoint truncated", e);
    }
  }
}
