package saliency.model.policy;

import java.util.Arrays;
import java.util.Objects;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Checks the run-time inputs of the policy network against its {@link PolicyConfig} and turns them into tensors;
 * stateless apart from the configuration, shared by {@link PolicySampler} and {@link PolicyGradients}.
 */
final class PolicyInputs {

  /** Batch tensors of completions: targets (N, T) padded with {@code <pad>}, and the real-token mask (N, T). */
  record Batch(int[] targets, float[] mask) {}

  /** The teacher-forced inputs of one batch as tensors, which it owns and closes. */
  record Feed(TFloat32 images, TInt32 prompts, TInt32 targets, TFloat32 mask) implements AutoCloseable {

    /** {@code run} with the images, prompts, targets and mask fed. */
    Session.Runner into(Session.Runner run) {
      return run.feed(PolicyGraph.IMAGES, images)
          .feed(PolicyGraph.PROMPTS, prompts)
          .feed(PolicyGraph.TARGETS, targets)
          .feed(PolicyGraph.MASK, mask);
    }

    @Override
    public void close() {
      images.close();
      prompts.close();
      targets.close();
      mask.close();
    }
  }

  private final PolicyConfig cfg;

  PolicyInputs(PolicyConfig cfg) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
  }

  /**
   * The images (N, S, S, 3), or frozen features (N, G, G, C), as a tensor; with a group context (N, K, S, S, 3) or
   * (N, K, G, G, C), each example's own image first.
   */
  TFloat32 images(float[] images, int n) {
    int[] d = cfg.inputShape();
    int k = cfg.imagesPerExample();
    long expect = (long) n * cfg.inputSize();
    if (n <= 0 || images.length != expect) {
      String group = cfg.hasGroupContext() ? k + "*" : "";
      if (cfg.isMobileNet()) {
        int s = cfg.imageSize();
        throw new IllegalArgumentException("images: the " + PolicyConfig.MOBILENET_V2 + " encoder takes precomputed "
            + "frozen features, n*" + (group.isEmpty() ? "" : "K*") + "G*G*C = " + n + "*" + group + d[0] + "*" + d[1]
            + "*" + d[2] + " = " + expect + " floats, got " + images.length
            + (images.length == (long) n * k * s * s * 3 ? " (that is n raw " + s + "x" + s
            + " RGB images: compute the features first)" : ""));
      }
      throw new IllegalArgumentException("images: expected n*" + (group.isEmpty() ? "" : "K*") + "S*S*3 = " + n + "*"
          + group + d[0] + "*" + d[1] + "*3 = " + expect + " floats, got " + images.length);
    }
    Shape shape = cfg.hasGroupContext() ? Shape.of(n, k, d[0], d[1], d[2]) : Shape.of(n, d[0], d[1], d[2]);
    return TFloat32.tensorOf(shape, DataBuffers.of(images, true, false));
  }

  /** One task token per row (N). */
  TInt32 prompts(int[] prompts, int n) {
    if (prompts.length != n) {
      throw new IllegalArgumentException("promptTokens: expected " + n + " ids, got " + prompts.length);
    }
    for (int p : prompts) {
      checkToken("promptTokens", p);
    }
    return TInt32.tensorOf(Shape.of(n), DataBuffers.of(prompts, true, false));
  }

  /** Completions (each 1..maxLen tokens, no {@code <pad>}) as padded targets and their mask. */
  Batch batch(int n, int[][] completions) {
    if (completions.length != n) {
      throw new IllegalArgumentException("completions: expected " + n + ", got " + completions.length);
    }
    int t = cfg.maxLen();
    int[] tg = new int[n * t];
    float[] mk = new float[n * t];
    Arrays.fill(tg, cfg.padId());
    for (int i = 0; i < n; i++) {
      int[] c = completions[i];
      if (c.length == 0 || c.length > t) {
        throw new IllegalArgumentException("completion " + i + ": length " + c.length + " outside [1, " + t + "]");
      }
      for (int j = 0; j < c.length; j++) {
        checkToken("completion " + i, c[j]);
        if (c[j] == cfg.padId()) {
          throw new IllegalArgumentException("completion " + i + ": <pad> at position " + j + " (trim before scoring)");
        }
        tg[i * t + j] = c[j];
        mk[i * t + j] = 1f;
      }
    }
    return new Batch(tg, mk);
  }

  /**
   * Per-token rows aligned with the completions, zero-padded to (N, T) row-major; all zeros when {@code rows} is null.
   *
   * @param field the argument's name in error messages
   */
  float[] aligned(String field, float[][] rows, int n, int[][] completions) {
    int t = cfg.maxLen();
    float[] flat = new float[n * t];
    if (rows != null) {
      if (rows.length != n) {
        throw new IllegalArgumentException(field + ": expected " + n + " rows, got " + rows.length);
      }
      for (int i = 0; i < n; i++) {
        if (rows[i].length != completions[i].length) {
          throw new IllegalArgumentException(field + " row " + i + ": length " + rows[i].length
              + " != completion length " + completions[i].length);
        }
        System.arraycopy(rows[i], 0, flat, i * t, rows[i].length);
      }
    }
    return flat;
  }

  /** The images, prompts and a checked batch of completions as tensors (N, ...), (N), (N, T), (N, T). */
  Feed feed(float[] images, int n, int[] prompts, Batch b) {
    TFloat32 img = images(images, n);
    try {
      TInt32 pr = prompts(prompts, n);
      return new Feed(img, pr, perToken(b.targets(), n), perToken(b.mask(), n));
    } catch (RuntimeException e) {
      img.close();
      throw e;
    }
  }

  /** Row-major (N, T) ints as a tensor. */
  TInt32 perToken(int[] values, int n) {
    return TInt32.tensorOf(Shape.of(n, cfg.maxLen()), DataBuffers.of(values, true, false));
  }

  /** Row-major (N, T) floats as a tensor. */
  TFloat32 perToken(float[] values, int n) {
    return TFloat32.tensorOf(Shape.of(n, cfg.maxLen()), DataBuffers.of(values, true, false));
  }

  /** A vector of floats as a tensor. */
  static TFloat32 vector(float[] values) {
    return TFloat32.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  private void checkToken(String field, int id) {
    if (id < 0 || id >= cfg.vocabSize()) {
      throw new IllegalArgumentException(field + ": token id " + id + " outside [0, " + cfg.vocabSize() + ")");
    }
  }
}
