package saliency.model.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import saliency.model.geometry.Mask;
import saliency.model.metrics.SodResults;

/**
 * Collects CoSOD saliency maps group by group: each group's maps are measured together (PySODMetrics figures through
 * {@link SaliencyMaps}, quantized to 8 bits), and the group figures averaged over groups; owns its accumulators (not
 * thread-safe).
 */
public final class GroupMaps {
  private final Map<String, SaliencyMaps> groups = new TreeMap<>();

  /**
   * The figures of each group (by group name, in name order) and their mean over groups; immutable.
   *
   * @param groups each group's PySODMetrics figures over its own maps
   */
  public record Scores(Map<String, SodResults> groups) {
    public Scores {
      groups = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(groups, "groups")));
    }

    /** Mean over groups of each group's S-measure; NaN without groups. */
    public double sMeasure() {
      return groups.values().stream().mapToDouble(SodResults::sMeasure).average().orElse(Double.NaN);
    }

    /** Mean over groups of each group's max F-measure; NaN without groups. */
    public double maxF() {
      return groups.values().stream().mapToDouble(SodResults::maxFm).average().orElse(Double.NaN);
    }

    /** One line per group, {@code GROUP: S-measure s, max-F f (n images)}. */
    public String perGroup() {
      StringBuilder sb = new StringBuilder();
      groups.forEach((name, r) -> sb.append(String.format(Locale.ROOT, "%s: S-measure %.4f, max-F %.4f (%d images)%n",
          name, r.sMeasure(), r.maxFm(), r.images())));
      return sb.toString();
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d group%s, mean group S-measure %.4f, mean group max-F %.4f", groups.size(),
          groups.size() == 1 ? "" : "s", sMeasure(), maxF());
    }
  }

  /** Adds the map ({@code W x H} values in [0,1]) of image {@code name} of group {@code group}. */
  public void add(String group, String name, double[] map, Mask gt) {
    Objects.requireNonNull(group, "group");
    groups.computeIfAbsent(group, g -> new SaliencyMaps(null)).add(name, map, gt);
  }

  /** Groups with at least one map. */
  public int count() {
    return groups.size();
  }

  public Scores results() {
    Map<String, SodResults> out = new LinkedHashMap<>();
    groups.forEach((name, maps) -> out.put(name, maps.results()));
    return new Scores(out);
  }
}
