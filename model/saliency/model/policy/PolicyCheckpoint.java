package saliency.model.policy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import saliency.model.optim.Adam;

/**
 * A saved training state: flat weights, Adam moments and step, weight version and the network config (as text); an
 * immutable value (arrays are not copied) with atomic file save and load.
 *
 * <p>File layout (big-endian): magic, format version (2), then the payload: config text length and UTF-8 bytes,
 * parameter count, weights, Adam present flag, [learning rate, beta1, beta2, epsilon, step, m count, m, v count, v],
 * weight version; then the CRC-32 of the payload. Format 1 has the config text as {@code writeUTF} and no CRC.
 */
public record PolicyCheckpoint(
    String configText, float[] weights, Adam.Settings adamSettings, float[] adamM, float[] adamV, long adamStep,
    long version) {

  private static final int MAGIC = 0x53504F4C; // "SPOL"
  /** The current format: payload followed by its CRC-32. */
  private static final int FORMAT = 2;
  /** The first format, without a checksum; still read. */
  private static final int FORMAT_NO_CHECKSUM = 1;
  /** Bounds on lengths read from a file, checked before allocating. */
  static final int MAX_CONFIG_BYTES = 1 << 20;
  static final int MAX_PARAMETERS = 1 << 28;

  public PolicyCheckpoint {
    Objects.requireNonNull(configText, "configText");
    Objects.requireNonNull(weights, "weights");
    if ((adamSettings == null) != (adamM == null) || (adamM == null) != (adamV == null)) {
      throw new IllegalArgumentException("Adam settings and moments must be all present or all absent");
    }
    if (adamM != null && (adamM.length != weights.length || adamV.length != weights.length)) {
      throw new IllegalArgumentException("Adam moments length differs from weights length " + weights.length);
    }
  }

  /** The state of {@code net} and, when not null, of the optimizer over all its weights. */
  public static PolicyCheckpoint of(PolicyNetwork net, Adam adam) {
    if (adam == null) {
      return new PolicyCheckpoint(net.config().toString(), net.getFlatWeights(), null, null, null, 0, net.version());
    }
    return new PolicyCheckpoint(net.config().toString(), net.getFlatWeights(), adam.settings(),
        adam.firstMoment().clone(), adam.secondMoment().clone(), adam.step(), net.version());
  }

  /** Writes to a temporary file next to {@code file}, then renames it atomically over {@code file}. */
  public void save(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
    try {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        DataOutputStream header = new DataOutputStream(os);
        header.writeInt(MAGIC);
        header.writeInt(FORMAT);
        CRC32 crc = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(os, crc));
        byte[] cfg = configText.getBytes(StandardCharsets.UTF_8);
        out.writeInt(cfg.length);
        out.write(cfg);
        writeFloats(out, weights);
        out.writeBoolean(adamM != null);
        if (adamM != null) {
          out.writeDouble(adamSettings.learningRate());
          out.writeDouble(adamSettings.beta1());
          out.writeDouble(adamSettings.beta2());
          out.writeDouble(adamSettings.epsilon());
          out.writeLong(adamStep);
          writeFloats(out, adamM);
          writeFloats(out, adamV);
        }
        out.writeLong(version);
        out.flush();
        header.writeInt((int) crc.getValue());
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a checkpoint; a truncated, corrupt (checksum mismatch, length out of bounds) or foreign file gives an
   * IOException naming it. Format-1 files (no checksum) are still read, with the same length bounds.
   */
  public static PolicyCheckpoint load(Path file) throws IOException {
    long size = Files.size(file);
    try (CountingInputStream counted = new CountingInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      DataInputStream header = new DataInputStream(counted);
      if (size < 8 || header.readInt() != MAGIC) {
        throw new IOException("not a policy checkpoint: " + file);
      }
      int format = header.readInt();
      if (format != FORMAT && format != FORMAT_NO_CHECKSUM) {
        throw new IOException("unsupported checkpoint format " + format + " in " + file + " (this program reads "
            + FORMAT_NO_CHECKSUM + " and " + FORMAT + ")");
      }
      Bounded in;
      CRC32 crc = null;
      if (format == FORMAT) {
        crc = new CRC32();
        in = new Bounded(new DataInputStream(new CheckedInputStream(counted, crc)), counted, size - 4, file);
      } else {
        in = new Bounded(header, counted, size, file);
      }
      String cfg = format == FORMAT ? in.text() : header.readUTF();
      float[] w = in.floats("weights", -1);
      Adam.Settings settings = null;
      float[] m = null;
      float[] v = null;
      long step = 0;
      if (in.data.readBoolean()) {
        try {
          settings = new Adam.Settings(in.data.readDouble(), in.data.readDouble(), in.data.readDouble(),
              in.data.readDouble());
        } catch (IllegalArgumentException e) {
          throw new IOException("corrupt policy checkpoint " + file + ": " + e.getMessage(), e);
        }
        step = in.data.readLong();
        m = in.floats("Adam first moments", w.length);
        v = in.floats("Adam second moments", w.length);
      }
      long version = in.data.readLong();
      if (crc != null) {
        int stored = header.readInt();
        if (stored != (int) crc.getValue()) {
          throw new IOException(String.format(Locale.ROOT,
              "corrupt policy checkpoint %s: checksum mismatch (stored %08x, computed %08x)", file, stored,
              (int) crc.getValue()));
        }
      }
      if (counted.read() != -1) {
        throw new IOException("corrupt policy checkpoint " + file + ": unexpected bytes after the end");
      }
      return new PolicyCheckpoint(cfg, w, settings, m, v, step, version);
    } catch (EOFException e) {
      throw new IOException("truncated policy checkpoint: " + file, e);
    }
  }

  /**
   * Loads {@code file} into {@code net} (weights and version) and returns the saved optimizer, or null when the file
   * holds none. Fails, naming the file, when the parameter count differs from the network's.
   */
  public static Adam restore(Path file, PolicyNetwork net) throws IOException {
    PolicyCheckpoint c = load(file);
    if (c.weights().length != net.parameterCount()) {
      throw new IOException("checkpoint " + file + " has " + c.weights().length + " parameters but the network has "
          + net.parameterCount() + "; checkpoint config: " + c.configText() + "; network config: " + net.config());
    }
    net.setFlatWeights(c.weights());
    net.setVersion(c.version());
    return c.adamM() == null ? null : new Adam(c.adamSettings(), c.adamM(), c.adamV(), c.adamStep());
  }

  private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
    out.writeInt(a.length);
    for (float x : a) {
      out.writeFloat(x);
    }
  }

  /** Reads lengths and arrays of the payload, each length checked against the bytes left before allocating. */
  private record Bounded(DataInputStream data, CountingInputStream counted, long end, Path file) {
    long left() {
      return end - counted.count;
    }

    String text() throws IOException {
      int n = data.readInt();
      if (n < 0 || n > MAX_CONFIG_BYTES || n > left()) {
        throw new IOException("corrupt policy checkpoint " + file + ": config text length " + n + " is out of bounds ("
            + left() + " bytes left, at most " + MAX_CONFIG_BYTES + ")");
      }
      byte[] b = new byte[n];
      data.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    /** An array of floats; {@code expected >= 0} is the count it must have. */
    float[] floats(String what, int expected) throws IOException {
      int n = data.readInt();
      if (expected >= 0 && n != expected) {
        throw new IOException("corrupt policy checkpoint " + file + ": " + n + " " + what + " for " + expected
            + " weights");
      }
      if (n < 0 || n > MAX_PARAMETERS || 4L * n > left()) {
        throw new IOException("corrupt policy checkpoint " + file + ": " + what + " count " + n + " is out of bounds ("
            + left() + " bytes left, at most " + MAX_PARAMETERS + ")");
      }
      float[] a = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = data.readFloat();
      }
      return a;
    }
  }

  /** Counts the bytes read through it (the readers above it do not buffer). */
  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      count += k;
      return k;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
