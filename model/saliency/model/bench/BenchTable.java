package saliency.model.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The measured figures of one benchmark run, in the order they were taken, with the facts of the run (command,
 * machine, load); printed as a text table and written as JSON. Owned by the run that fills it; not thread-safe.
 */
public final class BenchTable {
  /**
   * One figure.
   *
   * @param key stable identifier in the JSON ({@code policy.sampling})
   * @param label what was measured, for the text table
   * @param value the figure (NaN when it could not be measured)
   * @param unit its unit
   * @param note how it was measured (budget, batch, counts)
   */
  public record Row(String key, String label, double value, String unit, String note) {
    public Row {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(note, "note");
    }
  }

  private final Map<String, String> facts = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Series> series = new LinkedHashMap<>();

  /**
   * A sequence of points, each the values of {@code columns} in order (a reward curve, for instance).
   *
   * @param columns the name of each value of a point
   * @param points the points, in order
   */
  public record Series(List<String> columns, List<double[]> points) {
    public Series {
      columns = List.copyOf(columns);
      points = points.stream().map(double[]::clone).toList();
      for (double[] p : points) {
        if (p.length != columns.size()) {
          throw new IllegalArgumentException("a point has " + p.length + " values for columns " + columns);
        }
      }
    }
  }

  /** Records a fact of the run (command, machine, load, ...), printed above the table. */
  public BenchTable fact(String name, String value) {
    facts.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Adds a figure; a key may appear once. */
  public BenchTable add(String key, String label, double value, String unit, String note) {
    for (Row r : rows) {
      if (r.key().equals(key)) {
        throw new IllegalArgumentException("duplicate bench row " + key);
      }
    }
    rows.add(new Row(key, label, value, unit, note));
    return this;
  }

  /** Adds a named series of points; a name may appear once. */
  public BenchTable series(String name, List<String> columns, List<double[]> points) {
    if (series.containsKey(name)) {
      throw new IllegalArgumentException("duplicate bench series " + name);
    }
    series.put(name, new Series(columns, points));
    return this;
  }

  public Map<String, Series> series() {
    return Map.copyOf(series);
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public Map<String, String> facts() {
    return Map.copyOf(facts);
  }

  /** The facts, one per line, then a Markdown table of the figures. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    facts.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    sb.append('\n').append("| figure | value | unit | how |\n| --- | ---: | --- | --- |\n");
    for (Row r : rows) {
      sb.append("| ").append(r.label()).append(" | ").append(format(r.value())).append(" | ").append(r.unit())
          .append(" | ").append(r.note()).append(" |\n");
    }
    series.forEach((name, se) -> {
      sb.append('\n').append(name).append(" (").append(String.join(", ", se.columns())).append("):");
      for (double[] p : se.points()) {
        sb.append(' ');
        for (int i = 0; i < p.length; i++) {
          sb.append(i == 0 ? "" : "/").append(format(p[i]));
        }
      }
    });
    if (!series.isEmpty()) {
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * The facts, figures and series as one JSON object ({@code facts}, {@code rows}, {@code series}: name to columns
   * and points); NaN values are written as null.
   */
  public String json() {
    JsonObject root = new JsonObject();
    JsonObject f = new JsonObject();
    facts.forEach(f::addProperty);
    root.add("facts", f);
    JsonArray a = new JsonArray();
    for (Row r : rows) {
      JsonObject o = new JsonObject();
      o.addProperty("key", r.key());
      o.addProperty("label", r.label());
      if (Double.isFinite(r.value())) {
        o.addProperty("value", r.value());
      } else {
        o.add("value", com.google.gson.JsonNull.INSTANCE);
      }
      o.addProperty("unit", r.unit());
      o.addProperty("note", r.note());
      a.add(o);
    }
    root.add("rows", a);
    JsonObject ser = new JsonObject();
    series.forEach((name, se) -> {
      JsonObject o = new JsonObject();
      JsonArray cols = new JsonArray();
      se.columns().forEach(cols::add);
      o.add("columns", cols);
      JsonArray pts = new JsonArray();
      for (double[] p : se.points()) {
        JsonArray pa = new JsonArray();
        for (double v : p) {
          if (Double.isFinite(v)) {
            pa.add(v);
          } else {
            pa.add(com.google.gson.JsonNull.INSTANCE);
          }
        }
        pts.add(pa);
      }
      o.add("points", pts);
      ser.add(name, o);
    });
    root.add("series", ser);
    return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root) + "\n";
  }

  /** Writes {@link #json()} to {@code file}, creating its folder. */
  public void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, json());
  }

  /** Three significant figures at least, no exponent for ordinary magnitudes; "n/a" for NaN. */
  static String format(double v) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a != 0 && (a >= 1e7 || a < 1e-3)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    if (a >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
  }
}
