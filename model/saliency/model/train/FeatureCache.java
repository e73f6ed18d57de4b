package saliency.model.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import saliency.model.image.RgbImage;
import saliency.model.tfjs.MobileNetV2Features;
import saliency.model.tfjs.WeightsLocation;

/**
 * A bounded least-recently-used cache of frozen image features around one {@link Extractor}, keyed by image name, size
 * and a fingerprint of the pixels; the cache owns the extractor (closing the cache closes it), its entries and its
 * hit, miss and eviction counters. Thread-safe: every method synchronizes on the cache, so one extractor is used by
 * one thread at a time.
 *
 * <p>The fingerprint makes a reused name (two synthetic streams both naming a scene {@code synthetic-1-0}, an image
 * file replaced on disk) a miss instead of a wrong answer. Callers must not modify a returned array: it is the cached
 * one.
 */
public final class FeatureCache implements AutoCloseable {
  /** Default bound: 512 MiB of features (about 5000 images of 14x14x136, 820 of 14x14x816). */
  public static final long DEFAULT_MAX_BYTES = 512L << 20;

  /** Computes frozen features of images; one float array of {@link #featureSize()} per image, in order. */
  public interface Extractor extends AutoCloseable {
    /** Floats per image. */
    int featureSize();

    /** The features of each image; called from several threads at once (a TensorFlow session runs them side by side). */
    List<float[]> extract(List<RgbImage> images);

    @Override
    void close();
  }

  /** Counters and size: hits, misses, evictions, entries held and their bytes. */
  public record Stats(long hits, long misses, long evictions, int entries, long bytes) {
    /** Hits over lookups, NaN before the first lookup. */
    public double hitRate() {
      long n = hits + misses;
      return n == 0 ? Double.NaN : hits / (double) n;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%d hits, %d misses, %d evictions, %d entries, %.1f MiB", hits,
          misses, evictions, entries, bytes / 1048576.0);
    }
  }

  private record Key(String name, int width, int height, long fingerprint) {}

  private final Extractor extractor;
  private final long maxBytes;
  private final int maxEntries;
  private final LinkedHashMap<Key, float[]> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;
  private long evictions;

  /**
   * @param maxBytes most bytes of features held (at least one entry's worth)
   * @param maxEntries most entries held (at least 1)
   */
  public FeatureCache(Extractor extractor, long maxBytes, int maxEntries) {
    this.extractor = Objects.requireNonNull(extractor, "extractor");
    long entryBytes = 4L * extractor.featureSize();
    if (maxBytes < entryBytes || maxEntries < 1) {
      throw new IllegalArgumentException("feature cache bound must hold at least one entry of " + entryBytes
          + " bytes: maxBytes " + maxBytes + ", maxEntries " + maxEntries);
    }
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
  }

  /** A cache of {@code map} from the MobileNetV2 under {@code weightsRoot}, bounded by {@code maxBytes}. */
  public static FeatureCache mobileNetV2(Path weightsRoot, String map, int intraOpThreads, long maxBytes)
      throws IOException {
    MobileNetV2Features net = MobileNetV2Features.open(weightsRoot, map, intraOpThreads);
    try {
      return new FeatureCache(mobileNetExtractor(net), maxBytes, Integer.MAX_VALUE);
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  private static final Map<String, FeatureCache> SHARED = new java.util.HashMap<>();

  /**
   * The process-wide cache of one MobileNetV2 map, opened on first use from {@link WeightsLocation#root()} and bounded
   * by {@link #DEFAULT_MAX_BYTES} or a quarter of the maximum heap, whichever is smaller; it lives until the JVM exits
   * (so successive trainers, arms and evaluations in one process share the features) and must not be closed.
   *
   * @param intraOpThreads threads of the extractor when this call opens it (0: TensorFlow's default)
   * @throws UncheckedIOException when the weights cannot be read
   */
  public static FeatureCache shared(String map, int intraOpThreads) {
    String key = MobileNetV2Features.knownMap(map).name();
    synchronized (SHARED) {
      FeatureCache c = SHARED.get(key);
      if (c == null) {
        long bound = sharedBound();
        try {
          c = mobileNetV2(WeightsLocation.root(), key, intraOpThreads, bound);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot open the MobileNetV2 feature extractor: " + e.getMessage(), e);
        }
        SHARED.put(key, c);
      }
      return c;
    }
  }

  /** Bound of a shared cache: {@link #DEFAULT_MAX_BYTES} or a quarter of the heap, whichever is smaller. */
  private static long sharedBound() {
    return Math.max(DEFAULT_MAX_BYTES / 8, Math.min(DEFAULT_MAX_BYTES, Runtime.getRuntime().maxMemory() / 4));
  }

  /** Key of {@link #sharedHypercolumns}. */
  static final String HYPERCOLUMNS = "hypercolumns";

  /**
   * The process-wide cache of the promptable segmenter's inputs (same bound and lifetime as {@link #shared}): per image
   * the 14x14x816 map (the policy's input) followed by the 28x28x288 map, from one pass of the network.
   */
  public static FeatureCache sharedHypercolumns(int intraOpThreads) {
    synchronized (SHARED) {
      FeatureCache c = SHARED.get(HYPERCOLUMNS);
      if (c == null) {
        long bound = sharedBound();
        List<MobileNetV2Features.SpatialMap> maps = List.of(
            MobileNetV2Features.knownMap(MobileNetV2Features.MAP_14X14X816),
            MobileNetV2Features.knownMap(MobileNetV2Features.MAP_28X28X288));
        MobileNetV2Features net;
        try {
          net = MobileNetV2Features.open(WeightsLocation.root(), MobileNetV2Features.MAP_14X14X816, intraOpThreads);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot open the MobileNetV2 feature extractor: " + e.getMessage(), e);
        }
        int size = maps.stream().mapToInt(MobileNetV2Features.SpatialMap::size).sum();
        c = new FeatureCache(new Extractor() {
          @Override
          public int featureSize() {
            return size;
          }

          @Override
          public List<float[]> extract(List<RgbImage> images) {
            return net.extractConcatenated(images, maps);
          }

          @Override
          public void close() {
            net.close();
          }
        }, bound, Integer.MAX_VALUE);
        SHARED.put(HYPERCOLUMNS, c);
      }
      return c;
    }
  }

  /** An extractor returning {@code net}'s spatial map; it closes {@code net} when closed. */
  public static Extractor mobileNetExtractor(MobileNetV2Features net) {
    Objects.requireNonNull(net, "net");
    return new Extractor() {
      @Override
      public int featureSize() {
        return net.spatialMap().size();
      }

      @Override
      public List<float[]> extract(List<RgbImage> images) {
        return net.extractSpatial(images);
      }

      @Override
      public void close() {
        net.close();
      }
    };
  }

  /** Floats per image. */
  public int featureSize() {
    return extractor.featureSize();
  }

  /** The features of one image, computed on a miss. */
  public float[] features(String name, RgbImage image) {
    return features(List.of(name), List.of(image)).get(0);
  }

  /** The features of each image, in order; the misses are computed together in one extractor call. */
  public synchronized List<float[]> features(List<String> names, List<RgbImage> images) {
    if (names.size() != images.size()) {
      throw new IllegalArgumentException(names.size() + " names for " + images.size() + " images");
    }
    List<float[]> out = new ArrayList<>(images.size());
    List<Key> missKeys = new ArrayList<>();
    List<RgbImage> missImages = new ArrayList<>();
    List<Integer> missAt = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      RgbImage img = Objects.requireNonNull(images.get(i), "image " + i);
      Key k = new Key(Objects.requireNonNull(names.get(i), "name " + i), img.width(), img.height(), fingerprint(img));
      float[] f = entries.get(k);
      if (f != null) {
        hits++;
      } else {
        misses++;
        missKeys.add(k);
        missImages.add(img);
        missAt.add(i);
      }
      out.add(f);
    }
    if (!missImages.isEmpty()) {
      List<float[]> computed = extractUncached(missImages);
      for (int j = 0; j < computed.size(); j++) {
        float[] f = computed.get(j);
        out.set(missAt.get(j), f);
        put(missKeys.get(j), f);
      }
    }
    return out;
  }

  /**
   * The features of each image computed in one extractor call and not cached (counted as neither hit nor miss).
   * Not serialized with other calls: it touches no cache state, and the extractor's session runs concurrent calls
   * side by side (video frames on two cores).
   */
  public List<float[]> extractUncached(List<RgbImage> images) {
    if (images.isEmpty()) {
      return List.of();
    }
    List<float[]> computed = extractor.extract(images);
    if (computed.size() != images.size()) {
      throw new IllegalStateException(
          "extractor returned " + computed.size() + " feature arrays for " + images.size() + " images");
    }
    for (float[] f : computed) {
      if (f.length != extractor.featureSize()) {
        throw new IllegalStateException(
            "extractor returned " + f.length + " floats per image, expected " + extractor.featureSize());
      }
    }
    return computed;
  }

  private void put(Key k, float[] f) {
    float[] old = entries.put(k, f);
    if (old != null) {
      bytes -= 4L * old.length;
    }
    bytes += 4L * f.length;
    var it = entries.entrySet().iterator();
    while ((bytes > maxBytes || entries.size() > maxEntries) && it.hasNext()) {
      Map.Entry<Key, float[]> eldest = it.next();
      bytes -= 4L * eldest.getValue().length;
      it.remove();
      evictions++;
    }
  }

  public synchronized Stats stats() {
    return new Stats(hits, misses, evictions, entries.size(), bytes);
  }

  /** Drops every entry (the counters stay). */
  public synchronized void clear() {
    entries.clear();
    bytes = 0;
  }

  @Override
  public synchronized void close() {
    entries.clear();
    bytes = 0;
    extractor.close();
  }

  /** A 64-bit hash of the pixel values (FNV-1a over the float bits). */
  static long fingerprint(RgbImage image) {
    float[] px = image.rgb();
    long h = 0xcbf29ce484222325L;
    for (float v : px) {
      h ^= Float.floatToRawIntBits(v);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
