package saliency.model.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts of what a dataset scan and its loads found: pairs, loaded examples, and every skip with its file and
 * reason (each distinct file and kind counted once, however often it is retried; all listed by {@link #skips()}
 * and {@link #skipsCsv()}, the first few named in {@link #summary()}); thread-safe, owned by its dataset.
 */
public final class DatasetReport {

  /** Why a file or pair was left out. */
  public enum SkipKind {
    /** An image with no mask (or instance file) of the same stem. */
    IMAGE_WITHOUT_MASK,
    /** A mask (or instance file) with no image of the same stem. */
    MASK_WITHOUT_IMAGE,
    /** Two images (or two masks) with the same stem, e.g. {@code a.jpg} and {@code a.png}. */
    DUPLICATE_STEM,
    /**
     * A file in images/, masks/ or instances/ that is not a supported image (images .jpg/.jpeg/.png, masks and
     * instance files .png).
     */
    UNSUPPORTED_FILE,
    /** The image file cannot be decoded. */
    UNREADABLE_IMAGE,
    /** The mask (or instance) file cannot be decoded. */
    UNREADABLE_MASK,
    /** Mask and image differ in size. */
    SIZE_MISMATCH,
    /** Too many mask pixels are neither near 0 nor near 255 (see {@link DirectoryDataset#MAX_INTERMEDIATE}). */
    NON_BINARY_MASK,
    /** The image or mask file is cut short or its decoder warns (e.g. a truncated JPEG). */
    TRUNCATED_FILE,
    /** The image or mask declares more than {@code ImageIo.MAX_PIXELS} pixels; refused without decoding. */
    TOO_LARGE,
    /** An instance file with more than {@link DirectoryDataset#MAX_INSTANCES} instances: not an instance map. */
    TOO_MANY_INSTANCES,
    /**
     * A CoSOD group folder in images/ without its folder in masks/, or the reverse (all its files are left out), a
     * group in which no image pairs with a mask, or a plain file where group folders are expected.
     */
    UNPAIRED_GROUP
  }

  /**
   * One left-out file or pair.
   *
   * @param name the file stem (pair name)
   * @param file the offending file
   * @param kind the category
   * @param reason a human-readable reason
   */
  public record Skip(String name, Path file, SkipKind kind, String reason) {
    public Skip {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return kind + " " + file + ": " + reason;
    }
  }

  /** Skipped files named in {@link #summary()}. */
  public static final int SUMMARY_NAMES = 5;

  private final Map<String, Skip> skips = new LinkedHashMap<>();
  private final Set<String> loaded = new HashSet<>();
  private final Set<String> emptyMasks = new HashSet<>();
  private final Set<String> zeroOneMasks = new HashSet<>();
  private int pairs;

  synchronized void setPairs(int pairs) {
    this.pairs = pairs;
  }

  synchronized void skip(Skip skip) {
    skips.putIfAbsent(skip.kind() + "|" + skip.file(), skip);
  }

  synchronized void loaded(String name, boolean emptyMask, boolean zeroOneMask) {
    loaded.add(name);
    if (emptyMask) {
      emptyMasks.add(name);
    }
    if (zeroOneMask) {
      zeroOneMasks.add(name);
    }
  }

  /** Image/mask pairs found by the scan (before any load). */
  public synchronized int pairs() {
    return pairs;
  }

  /** Distinct pairs loaded successfully so far. */
  public synchronized int loaded() {
    return loaded.size();
  }

  /** Distinct loaded pairs whose mask has no pixel on (kept, not skipped). */
  public synchronized int emptyMasks() {
    return emptyMasks.size();
  }

  /** Distinct loaded pairs whose mask file stored 0/1 values (read as binary, see {@code ImageIo}). */
  public synchronized int zeroOneMasks() {
    return zeroOneMasks.size();
  }

  /** All skips so far, in the order they were found. */
  public synchronized List<Skip> skips() {
    return new ArrayList<>(skips.values());
  }

  /** Number of skips of one kind. */
  public synchronized int count(SkipKind kind) {
    int n = 0;
    for (Skip s : skips.values()) {
      if (s.kind() == kind) {
        n++;
      }
    }
    return n;
  }

  /** Skip counts by kind (kinds with no skip left out). */
  public synchronized Map<SkipKind, Integer> counts() {
    Map<SkipKind, Integer> out = new EnumMap<>(SkipKind.class);
    for (Skip s : skips.values()) {
      out.merge(s.kind(), 1, Integer::sum);
    }
    return out;
  }

  /** The skipped files, in the order they were found (a file skipped for two reasons appears twice). */
  public synchronized List<Path> skippedFiles() {
    List<Path> out = new ArrayList<>(skips.size());
    for (Skip s : skips.values()) {
      out.add(s.file());
    }
    return out;
  }

  /**
   * All skips as CSV text with a header line, {@code name,kind,file,reason}, one row per skip in the order found
   * (fields quoted where needed), ready to be written as {@code skipped.csv}.
   */
  public synchronized String skipsCsv() {
    StringBuilder b = new StringBuilder("name,kind,file,reason\n");
    for (Skip s : skips.values()) {
      b.append(csv(s.name())).append(',').append(s.kind()).append(',').append(csv(s.file().toString())).append(',')
          .append(csv(s.reason())).append('\n');
    }
    return b.toString();
  }

  /**
   * One line: pairs, loaded, empty masks, 0/1 masks (when any), skip counts by kind and the names of the first
   * {@value #SUMMARY_NAMES} skipped files (all of them: {@link #skips()}, {@link #skipsCsv()}).
   */
  public synchronized String summary() {
    StringBuilder b = new StringBuilder("pairs " + pairs + ", loaded " + loaded.size() + ", empty masks "
        + emptyMasks.size() + (zeroOneMasks.isEmpty() ? "" : ", 0/1 masks " + zeroOneMasks.size()) + ", skipped "
        + skips.size());
    if (!skips.isEmpty()) {
      b.append(' ').append(counts()).append(": ");
      int shown = 0;
      for (Skip s : skips.values()) {
        if (shown == SUMMARY_NAMES) {
          break;
        }
        b.append(shown++ == 0 ? "" : ", ").append(s.file().getFileName()).append(" (").append(s.kind()).append(')');
      }
      if (skips.size() > SUMMARY_NAMES) {
        b.append(" and ").append(skips.size() - SUMMARY_NAMES).append(" more");
      }
    }
    return b.toString();
  }

  private static String csv(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  @Override
  public String toString() {
    return summary();
  }
}
