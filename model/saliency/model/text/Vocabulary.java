package saliency.model.text;

import java.util.Objects;

/**
 * The policy's token vocabulary (DESIGN §3): 18 special tokens with fixed ids, then {@code bins} coordinate bins;
 * immutable, it owns only its bin count.
 *
 * <p>Id layout (fixed; the policy network is built against it): 0 {@code <pad>}, 1 {@code <end>}, 2 {@code <sod>},
 * 3 {@code <cod>}, 4 {@code <sis>}, 5 {@code <cosod>}, 6 {@code <rg>}, 7 {@code </rg>}, 8 {@code <ins>},
 * 9 {@code </ins>}, 10 {@code <bbox>}, 11 {@code </bbox>}, 12 {@code <points>}, 13 {@code </points>},
 * 14 {@code <labels>}, 15 {@code </labels>}, 16 label {@code 0}, 17 label {@code 1}, then
 * {@code 18 .. 18+bins-1} coordinate bins (the same bins for x and y).
 */
public final class Vocabulary {
  public static final int DEFAULT_BINS = 64;

  public static final int PAD = 0;
  public static final int END = 1;
  public static final int SOD = 2;
  public static final int COD = 3;
  public static final int SIS = 4;
  public static final int COSOD = 5;
  public static final int RG_OPEN = 6;
  public static final int RG_CLOSE = 7;
  public static final int INS_OPEN = 8;
  public static final int INS_CLOSE = 9;
  public static final int BBOX_OPEN = 10;
  public static final int BBOX_CLOSE = 11;
  public static final int POINTS_OPEN = 12;
  public static final int POINTS_CLOSE = 13;
  public static final int LABELS_OPEN = 14;
  public static final int LABELS_CLOSE = 15;
  public static final int LABEL_0 = 16;
  public static final int LABEL_1 = 17;
  /** Id of coordinate bin 0; bin {@code b} has id {@code FIRST_COORD + b}. */
  public static final int FIRST_COORD = 18;

  private static final String[] SPECIAL = {
    "<pad>", "<end>", "<sod>", "<cod>", "<sis>", "<cosod>", "<rg>", "</rg>", "<ins>", "</ins>",
    "<bbox>", "</bbox>", "<points>", "</points>", "<labels>", "</labels>", "0", "1"
  };

  private final int bins;

  /** A vocabulary with {@value #DEFAULT_BINS} coordinate bins. */
  public Vocabulary() {
    this(DEFAULT_BINS);
  }

  /** A vocabulary with {@code bins} coordinate bins per axis (at least 2). */
  public Vocabulary(int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException("bins must be at least 2, got " + bins);
    }
    this.bins = bins;
  }

  /** Coordinate bins per axis. */
  public int bins() {
    return bins;
  }

  /** Number of token ids: {@code 18 + bins}. */
  public int size() {
    return FIRST_COORD + bins;
  }

  /**
   * The bin of a normalized coordinate: clamped to [0,1], then {@code min(bins-1, floor(v*bins))}; NaN is rejected.
   */
  public int coordToBin(double v) {
    if (Double.isNaN(v)) {
      throw new IllegalArgumentException("coordinate is NaN");
    }
    double c = Math.max(0.0, Math.min(1.0, v));
    return Math.min(bins - 1, (int) Math.floor(c * bins));
  }

  /** The token id of a normalized coordinate: {@code FIRST_COORD + coordToBin(v)}. */
  public int coordToId(double v) {
    return FIRST_COORD + coordToBin(v);
  }

  /** The centre of a bin, {@code (bin + 0.5) / bins}. */
  public double binToCoord(int bin) {
    if (bin < 0 || bin >= bins) {
      throw new IllegalArgumentException("bin " + bin + " outside [0," + (bins - 1) + "]");
    }
    return (bin + 0.5) / bins;
  }

  /** The coordinate (bin centre) of a coordinate token id. */
  public double idToCoord(int id) {
    if (!isCoord(id)) {
      throw new IllegalArgumentException("token " + id + " is not a coordinate token");
    }
    return binToCoord(id - FIRST_COORD);
  }

  /** True for coordinate-bin token ids. */
  public boolean isCoord(int id) {
    return id >= FIRST_COORD && id < FIRST_COORD + bins;
  }

  /** True for any id of this vocabulary. */
  public boolean isValidId(int id) {
    return id >= 0 && id < size();
  }

  /** The prompt token id of a task. */
  public static int taskToken(Task task) {
    Objects.requireNonNull(task, "task");
    switch (task) {
      case SOD:
        return SOD;
      case COD:
        return COD;
      case SIS:
        return SIS;
      case COSOD:
        return COSOD;
      default:
        throw new IllegalArgumentException("no token for task " + task);
    }
  }

  /** The task of a task-prompt token id, or null when {@code id} is not a task token. */
  public static Task taskOf(int id) {
    switch (id) {
      case SOD:
        return Task.SOD;
      case COD:
        return Task.COD;
      case SIS:
        return Task.SIS;
      case COSOD:
        return Task.COSOD;
      default:
        return null;
    }
  }

  /**
   * Readable text of a token: the tag for special tokens, {@code 0}/{@code 1} for labels, {@code c17} for coordinate
   * bin 17, {@code <unk:id>} for ids outside the vocabulary (never throws; used in logs and failure reasons).
   */
  public String tokenText(int id) {
    if (id >= 0 && id < FIRST_COORD) {
      return SPECIAL[id];
    }
    if (isCoord(id)) {
      return "c" + (id - FIRST_COORD);
    }
    return "<unk:" + id + ">";
  }

  /** Space-separated {@link #tokenText} of a sequence, for logs. */
  public String toText(int[] ids) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ids.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(tokenText(ids[i]));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v && v.bins == bins;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(bins);
  }

  @Override
  public String toString() {
    return "Vocabulary[bins=" + bins + ", size=" + size() + "]";
  }
}
