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
 * reason (each distinct file and kind counted once, however often it is retried); thread-safe, owned by its
 * dataset.
 */
public final class DatasetReport {

  /** Why a file or pair was left out. */
  public enum SkipKind {
    /** An image with no mask of the same stem. */
    IMAGE_WITHOUT_MASK,
    /** A mask with no image of the same stem. */
    MASK_WITHOUT_IMAGE,
    /** Two images (or two masks) with the same stem, e.g. {@code a.jpg} and {@code a.png}. */
    DUPLICATE_STEM,
    /** A file in images/ or masks/ that is not a supported image (images .jpg/.jpeg/.png, masks .png). */
    UNSUPPORTED_FILE,
    /** The image file cannot be decoded. */
    UNREADABLE_IMAGE,
    /** The mask file cannot be decoded. */
    UNREADABLE_MASK,
    /** Mask and image differ in size. */
    SIZE_MISMATCH,
    /** Too many mask pixels are neither near 0 nor near 255 (see {@link DirectoryDataset#MAX_INTERMEDIATE}). */
    NON_BINARY_MASK,
    /** The image or mask file is cut short or its decoder warns (e.g. a truncated JPEG). */
    TRUNCATED_FILE,
    /** The image or mask declares more than {@code ImageIo.MAX_PIXELS} pixels; refused without decoding. */
    TOO_LARGE
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

  /** One line: pairs, loaded, empty masks, 0/1 masks (when any) and skip counts by kind. */
  public synchronized String summary() {
    return "pairs " + pairs + ", loaded " + loaded.size() + ", empty masks " + emptyMasks.size()
        + (zeroOneMasks.isEmpty() ? "" : ", 0/1 masks " + zeroOneMasks.size()) + ", skipped " + skips.size()
        + (skips.isEmpty() ? "" : " " + counts());
  }

  @Override
  public String toString() {
    return summary();
  }
}
