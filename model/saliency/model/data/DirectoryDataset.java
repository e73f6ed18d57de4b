package saliency.model.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import saliency.model.data.DatasetReport.Skip;
import saliency.model.data.DatasetReport.SkipKind;
import saliency.model.geometry.Mask;
import saliency.model.image.BadInputException;
import saliency.model.image.GrayLevels;
import saliency.model.image.ImageIo;
import saliency.model.image.ImageTooLargeException;
import saliency.model.image.InstanceLabels;
import saliency.model.image.RgbImage;
import saliency.model.image.Resizer;
import saliency.model.image.TruncatedImageException;

/**
 * A saliency dataset in the DUTS layout, {@code ROOT/images/NAME.jpg|jpeg|png} with {@code ROOT/masks/NAME.png}
 * ({@link #scan}) or with instance maps {@code ROOT/instances/NAME.png} ({@link #scanInstances}), paired by file
 * stem; it owns the scanned pair list, its {@link DatasetReport} and an optional bounded cache of examples at model
 * resolution; thread-safe.
 *
 * <p>Mask rule: mask files are read as 8-bit levels (gray directly, 1-bit as 0/255, colour by luminance; a mask
 * whose largest value is 1 was stored as 0/1 and is read as 0/255, counted in {@link DatasetReport#zeroOneMasks()});
 * a level above 127 is on. A mask is rejected as non-binary when more than {@link #MAX_INTERMEDIATE} (5%) of its pixels
 * have a level strictly between {@value GrayLevels#NEAR_BINARY_TOLERANCE} and
 * {@code 255 - }{@value GrayLevels#NEAR_BINARY_TOLERANCE}: DUTS masks carry a thin anti-aliased edge (well
 * under 5%), a soft saliency map or a photograph saved as a mask does not pass.
 *
 * <p>Instance rule: an instance file is read by {@link ImageIo#readInstanceLabels}: an index-coded PNG (8-bit gray
 * or palette, 0 background and 1..K the instances) or a colour-coded one (each distinct non-black colour one
 * instance). A file with more than {@link #MAX_INSTANCES} instances is rejected as not an instance map (a
 * photograph, a soft map or anti-aliased colours give hundreds). The example's mask is the union of its instances
 * and {@link LabelledImage#instances()} holds them in the file's order.
 *
 * <p>Bad files never stop an iteration: each is a counted {@link Skip} with its file and reason.
 */
public final class DirectoryDataset {
  /** Largest accepted fraction of mask pixels that are neither near 0 nor near 255. */
  public static final double MAX_INTERMEDIATE = 0.05;

  /** Default held-out fraction for {@link #split}. */
  public static final double DEFAULT_HELD_OUT = 0.2;

  /** Most instances an instance file may hold. */
  public static final int MAX_INSTANCES = 64;

  private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png");
  private static final Set<String> MASK_EXTENSIONS = Set.of("png");

  /**
   * An image file and its mask file (or instance file) with the same stem.
   *
   * @param name the shared file stem
   * @param image the image file
   * @param mask the mask file, or the instance file of a dataset of instances
   */
  public record ImagePair(String name, Path image, Path mask) {
    public ImagePair {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(mask, "mask");
    }
  }

  /** A deterministic train / held-out partition of pairs, each list sorted by name. */
  public record Split(List<ImagePair> train, List<ImagePair> heldOut) {
    public Split {
      train = List.copyOf(train);
      heldOut = List.copyOf(heldOut);
    }
  }

  private record CacheKey(String name, Resizer resizer) {}

  /** What the label folder holds. */
  private enum Labels {
    MASKS("masks"),
    INSTANCES("instances");

    final String folder;

    Labels(String folder) {
      this.folder = folder;
    }
  }

  private final Path root;
  private final Labels labels;
  private final List<ImagePair> pairs;
  private final DatasetReport report;
  private final Map<CacheKey, LabelledImage> cache;
  private final int cacheCapacity;
  private final Set<String> bad = ConcurrentHashMap.newKeySet();

  private DirectoryDataset(Path root, Labels labels, List<ImagePair> pairs, DatasetReport report, int cacheCapacity) {
    this.root = root;
    this.labels = labels;
    this.pairs = List.copyOf(pairs);
    this.report = report;
    this.cacheCapacity = cacheCapacity;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<CacheKey, LabelledImage> eldest) {
        return size() > DirectoryDataset.this.cacheCapacity;
      }
    };
  }

  /** Scans {@code root} without a cache (see {@link #scan(Path, int)}). */
  public static DirectoryDataset scan(Path root) {
    return scan(root, 0);
  }

  /**
   * Scans {@code root/images} and {@code root/masks} and pairs files by stem; unpaired, duplicate and
   * unsupported files become skips in the report. Throws {@link BadInputException} naming the folder when
   * {@code root}, {@code root/images} or {@code root/masks} is not a folder.
   *
   * @param cacheCapacity most examples kept decoded at model resolution by {@link #load(ImagePair, Resizer)}
   *     (0: no cache)
   */
  public static DirectoryDataset scan(Path root, int cacheCapacity) {
    return scan(root, Labels.MASKS, cacheCapacity);
  }

  /** Scans {@code root} for instances without a cache (see {@link #scanInstances(Path, int)}). */
  public static DirectoryDataset scanInstances(Path root) {
    return scanInstances(root, 0);
  }

  /**
   * Scans {@code root/images} and {@code root/instances} and pairs files by stem, as {@link #scan(Path, int)} does
   * with {@code root/masks}; loads give examples with instances (see the class comment).
   */
  public static DirectoryDataset scanInstances(Path root, int cacheCapacity) {
    return scan(root, Labels.INSTANCES, cacheCapacity);
  }

  private static DirectoryDataset scan(Path root, Labels labels, int cacheCapacity) {
    Objects.requireNonNull(root, "root");
    if (cacheCapacity < 0) {
      throw new IllegalArgumentException("cache capacity must be >= 0: " + cacheCapacity);
    }
    requireFolder(root, "dataset folder does not exist or is not a folder");
    Path imagesDir = root.resolve("images");
    Path masksDir = root.resolve(labels.folder);
    String expected = " folder (expected ROOT/images/NAME.jpg and ROOT/" + labels.folder + "/NAME.png)";
    requireFolder(imagesDir, "no images/" + expected);
    requireFolder(masksDir, "no " + labels.folder + "/" + expected);
    DatasetReport report = new DatasetReport();
    List<ImagePair> pairs = pair(imagesDir, masksDir, labels, report, "");
    report.setPairs(pairs.size());
    return new DirectoryDataset(root, labels, pairs, report, cacheCapacity);
  }

  /**
   * Pairs the files of {@code imagesDir} and {@code masksDir} by stem, each pair named {@code prefix + stem};
   * unpaired, duplicate and unsupported files become skips in {@code report}.
   */
  private static List<ImagePair> pair(Path imagesDir, Path masksDir, Labels labels, DatasetReport report,
      String prefix) {
    Set<String> ambiguous = new java.util.HashSet<>();
    Map<String, Path> images = byStem(imagesDir, IMAGE_EXTENSIONS, report, ambiguous);
    Map<String, Path> masks = byStem(masksDir, MASK_EXTENSIONS, report, ambiguous);
    List<ImagePair> pairs = new ArrayList<>();
    for (Map.Entry<String, Path> e : images.entrySet()) {
      Path mask = masks.get(e.getKey());
      if (mask == null) {
        if (ambiguous.contains(e.getKey())) {
          continue;
        }
        report.skip(new Skip(prefix + e.getKey(), e.getValue(), SkipKind.IMAGE_WITHOUT_MASK,
            "no " + (labels == Labels.MASKS ? "mask " : "instance file ") + masksDir.resolve(e.getKey() + ".png")));
      } else {
        pairs.add(new ImagePair(prefix + e.getKey(), e.getValue(), mask));
      }
    }
    for (Map.Entry<String, Path> e : masks.entrySet()) {
      if (!images.containsKey(e.getKey()) && !ambiguous.contains(e.getKey())) {
        report.skip(new Skip(prefix + e.getKey(), e.getValue(), SkipKind.MASK_WITHOUT_IMAGE,
            "no image " + e.getKey() + ".jpg/.jpeg/.png in " + imagesDir));
      }
    }
    return pairs;
  }

  /**
   * The image pairs of one group of a CoSOD dataset, {@code imagesDir} with {@code masksDir} paired as {@link #scan}
   * pairs a DUTS-layout folder, named {@code GROUP/STEM}; skips go into {@code report}.
   */
  static List<ImagePair> pairGroup(Path imagesDir, Path masksDir, String group, DatasetReport report) {
    return pair(imagesDir, masksDir, Labels.MASKS, report, group + "/");
  }

  /** A mask dataset over {@code pairs} already scanned into {@code report} (the pairs of every CoSOD group). */
  static DirectoryDataset ofPairs(Path root, List<ImagePair> pairs, DatasetReport report) {
    report.setPairs(pairs.size());
    return new DirectoryDataset(root, Labels.MASKS, pairs, report, 0);
  }

  public Path root() {
    return root;
  }

  /** Whether this dataset reads instance files ({@link #scanInstances}) rather than masks. */
  public boolean hasInstances() {
    return labels == Labels.INSTANCES;
  }

  /** All pairs found, sorted by name. */
  public List<ImagePair> pairs() {
    return pairs;
  }

  /** The live report of this dataset's scan and loads. */
  public DatasetReport report() {
    return report;
  }

  /**
   * Loads a pair at its original size, validating it; empty (and a skip in the report) when the image or mask
   * is unreadable, truncated or over {@link ImageIo#MAX_PIXELS}, the sizes differ, the mask is not binary or the
   * instance file holds more than {@link #MAX_INSTANCES} instances.
   */
  public Optional<LabelledImage> load(ImagePair pair) {
    Objects.requireNonNull(pair, "pair");
    if (bad.contains(pair.name())) {
      return Optional.empty();
    }
    RgbImage image;
    try {
      image = ImageIo.readRgb(pair.image());
    } catch (BadInputException e) {
      return skip(new Skip(pair.name(), pair.image(), kindOf(e, SkipKind.UNREADABLE_IMAGE), e.reason()));
    }
    if (labels == Labels.INSTANCES) {
      return loadInstances(pair, image);
    }
    GrayLevels levels;
    try {
      levels = ImageIo.readGrayLevels(pair.mask());
    } catch (BadInputException e) {
      return skip(new Skip(pair.name(), pair.mask(), kindOf(e, SkipKind.UNREADABLE_MASK), e.reason()));
    }
    if (levels.width() != image.width() || levels.height() != image.height()) {
      return sizeMismatch(pair, "mask", levels.width(), levels.height(), image);
    }
    double intermediate = levels.intermediateFraction();
    if (intermediate > MAX_INTERMEDIATE) {
      return skip(new Skip(pair.name(), pair.mask(), SkipKind.NON_BINARY_MASK,
          String.format(Locale.ROOT, "%.1f%% of pixels are neither near 0 nor near 255 (limit %.0f%%)",
              100 * intermediate, 100 * MAX_INTERMEDIATE)));
    }
    Mask mask = levels.toMask();
    report.loaded(pair.name(), mask.isEmpty(), levels.zeroOne());
    return Optional.of(new LabelledImage(pair.name(), image, mask));
  }

  private Optional<LabelledImage> loadInstances(ImagePair pair, RgbImage image) {
    InstanceLabels read;
    try {
      read = ImageIo.readInstanceLabels(pair.mask());
    } catch (BadInputException e) {
      return skip(new Skip(pair.name(), pair.mask(), kindOf(e, SkipKind.UNREADABLE_MASK), e.reason()));
    }
    if (read.width() != image.width() || read.height() != image.height()) {
      return sizeMismatch(pair, "instance file", read.width(), read.height(), image);
    }
    if (read.count() > MAX_INSTANCES) {
      return skip(new Skip(pair.name(), pair.mask(), SkipKind.TOO_MANY_INSTANCES, read.count()
          + " distinct non-zero values or colours (limit " + MAX_INSTANCES + "): not an instance map"));
    }
    List<Mask> instances = read.masks();
    Mask union = new Mask(image.width(), image.height());
    instances.forEach(union::orInPlace);
    report.loaded(pair.name(), union.isEmpty(), false);
    return Optional.of(new LabelledImage(pair.name(), image, union, instances));
  }

  private Optional<LabelledImage> sizeMismatch(ImagePair pair, String what, int width, int height, RgbImage image) {
    return skip(new Skip(pair.name(), pair.mask(), SkipKind.SIZE_MISMATCH,
        what + " is " + width + "x" + height + " but image " + pair.image().getFileName()
            + " is " + image.width() + "x" + image.height()));
  }

  /**
   * Loads a pair resized to the model resolution (image bilinear, mask nearest, same placement), through the
   * cache when one is configured; empty when the pair is skipped (see {@link #load(ImagePair)}).
   */
  public Optional<LabelledImage> load(ImagePair pair, Resizer resizer) {
    Objects.requireNonNull(resizer, "resizer");
    CacheKey key = new CacheKey(pair.name(), resizer);
    if (cacheCapacity > 0) {
      synchronized (cache) {
        LabelledImage hit = cache.get(key);
        if (hit != null) {
          return Optional.of(hit);
        }
      }
    }
    Optional<LabelledImage> full = load(pair);
    if (full.isEmpty()) {
      return full;
    }
    LabelledImage li = full.get();
    LabelledImage small = new LabelledImage(li.name(), resizer.resize(li.image()).image(),
        resizer.resizeMask(li.mask()), li.instances().stream().map(resizer::resizeMask).toList());
    if (cacheCapacity > 0) {
      synchronized (cache) {
        cache.put(key, small);
      }
    }
    return Optional.of(small);
  }

  /** Number of examples currently cached. */
  public int cachedCount() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /** Splits this dataset's pairs (see {@link #split(List, double, long)}). */
  public Split split(double heldOutFraction, long seed) {
    return split(pairs, heldOutFraction, seed);
  }

  /**
   * Partitions pairs by a seeded hash of each name: a pair is held out iff {@link #isHeldOut} says so, so its
   * side never changes when other files are added or removed.
   */
  public static Split split(List<ImagePair> pairs, double heldOutFraction, long seed) {
    List<ImagePair> train = new ArrayList<>();
    List<ImagePair> held = new ArrayList<>();
    for (ImagePair p : pairs) {
      (isHeldOut(p.name(), heldOutFraction, seed) ? held : train).add(p);
    }
    return new Split(train, held);
  }

  /** Whether {@code name} falls in the held-out fraction for {@code seed} (a pure function of its arguments). */
  public static boolean isHeldOut(String name, double heldOutFraction, long seed) {
    if (!(heldOutFraction >= 0 && heldOutFraction <= 1)) {
      throw new IllegalArgumentException("held-out fraction must be in [0,1]: " + heldOutFraction);
    }
    long h = 0xcbf29ce484222325L; // FNV-1a 64 over the UTF-8 bytes
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    long z = SyntheticScenes.mix(h ^ SyntheticScenes.mix(seed));
    double u = (z >>> 11) * 0x1.0p-53;
    return u < heldOutFraction;
  }

  /**
   * An endless iterator of examples at model resolution over {@code pairs}, reshuffled each epoch from
   * {@code seed}, starting at {@code start}; skipped pairs are passed over (and counted in the report).
   */
  public Examples examples(List<ImagePair> pairs, long seed, DataPosition start, Resizer resizer) {
    return new Examples(new EpochIterator<>(pairs, seed, start), resizer);
  }

  /**
   * An endless iterator of loaded examples with its data position; owns an {@link EpochIterator}, not
   * thread-safe.
   */
  public final class Examples implements Iterator<LabelledImage> {
    private final EpochIterator<ImagePair> order;
    private final Resizer resizer;

    private Examples(EpochIterator<ImagePair> order, Resizer resizer) {
      this.order = Objects.requireNonNull(order, "order");
      this.resizer = Objects.requireNonNull(resizer, "resizer");
    }

    /** Always true; {@link #next()} throws when not a single pair of the list loads. */
    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public LabelledImage next() {
      for (int tries = 0; tries < order.epochLength(); tries++) {
        Optional<LabelledImage> li = load(order.next(), resizer);
        if (li.isPresent()) {
          return li.get();
        }
      }
      throw new BadInputException(root, "none of " + order.epochLength() + " pairs loads: " + report.summary());
    }

    /** The position of the pair the next call starts from; resume with {@link #examples}. */
    public DataPosition position() {
      return order.position();
    }
  }

  private static SkipKind kindOf(BadInputException e, SkipKind otherwise) {
    if (e instanceof TruncatedImageException) {
      return SkipKind.TRUNCATED_FILE;
    }
    if (e instanceof ImageTooLargeException) {
      return SkipKind.TOO_LARGE;
    }
    return otherwise;
  }

  private Optional<LabelledImage> skip(Skip s) {
    bad.add(s.name());
    report.skip(s);
    return Optional.empty();
  }

  /** Throws {@link BadInputException} with {@code reason} when {@code dir} is not a folder. */
  static void requireFolder(Path dir, String reason) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir, reason);
    }
  }

  /** Files of {@code dir} by stem; stems seen twice are reported, left out and added to {@code ambiguous}. */
  private static Map<String, Path> byStem(
      Path dir, Set<String> extensions, DatasetReport report, Set<String> ambiguous) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = new ArrayList<>(s.toList());
    } catch (IOException e) {
      throw new BadInputException(dir, "cannot list folder: " + e.getMessage(), e);
    }
    Collections.sort(files);
    Map<String, Path> out = new TreeMap<>();
    Map<String, Path> duplicates = new TreeMap<>();
    for (Path f : files) {
      String file = f.getFileName().toString();
      int dot = file.lastIndexOf('.');
      String stem = dot > 0 ? file.substring(0, dot) : file;
      String ext = dot > 0 ? file.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
      if (!Files.isRegularFile(f) || !extensions.contains(ext)) {
        report.skip(new Skip(stem, f, SkipKind.UNSUPPORTED_FILE,
            "not a " + String.join("/", new java.util.TreeSet<>(extensions)) + " file"));
        continue;
      }
      Path first = out.putIfAbsent(stem, f);
      if (first != null) {
        duplicates.put(stem, first);
        report.skip(new Skip(stem, f, SkipKind.DUPLICATE_STEM,
            "same stem as " + first.getFileName() + "; neither is used"));
      }
    }
    for (String stem : duplicates.keySet()) {
      out.remove(stem);
      ambiguous.add(stem);
    }
    return out;
  }
}
