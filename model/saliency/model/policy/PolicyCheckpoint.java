package saliency.model.policy;

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
import saliency.model.optim.Adam;

/**
 * A saved training state: flat weights, Adam moments and step, weight version and the network config (as text); an
 * immutable value (arrays are not copied) with atomic file save and load.
 *
 * <p>File layout (big-endian): magic, format version, config text (UTF), parameter count, weights, Adam present flag,
 * [learning rate, beta1, beta2, epsilon, step, m, v], weight version.
 */
public record PolicyCheckpoint(
    String configText, float[] weights, Adam.Settings adamSettings, float[] adamM, float[] adamV, long adamStep,
    long version) {

  private static final int MAGIC = 0x53504F4C; // "SPOL"
  private static final int FORMAT = 1;

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
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(configText);
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
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a checkpoint; a truncated or foreign file gives an IOException naming it. */
  public static PolicyCheckpoint load(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a policy checkpoint: " + file);
      }
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IOException("unsupported checkpoint format " + format + " in " + file);
      }
      String cfg = in.readUTF();
      float[] w = readFloats(in);
      Adam.Settings settings = null;
      float[] m = null;
      float[] v = null;
      long step = 0;
      if (in.readBoolean()) {
        settings = new Adam.Settings(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        step = in.readLong();
        m = readFloats(in);
        v = readFloats(in);
      }
      long version = in.readLong();
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

  private static float[] readFloats(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative array length " + n);
    }
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.readFloat();
    }
    return a;
  }
}
