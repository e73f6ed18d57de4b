package saliency.model.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.imageio.ImageIO;
import saliency.model.geometry.MaskPolygons;
import saliency.model.geometry.Polygon;
import saliency.model.image.ImageIo;
import saliency.model.text.ParseResult;
import saliency.model.train.EvalResult;
import saliency.model.train.Prepared;

/**
 * Writes a training run's report files: {@code metrics.csv}, TensorBoard scalars, PNG plots of reward and held-out IoU,
 * and a PNG grid of held-out predictions; owns the open files (not thread-safe: call from one thread).
 */
public final class RunReporter implements AutoCloseable {
  public static final String METRICS_CSV = "metrics.csv";
  public static final String REWARD_PNG = "reward.png";
  public static final String HELD_OUT_PNG = "heldout-iou.png";
  public static final String GRID_PNG = "heldout-grid.png";
  /** The folder of the TensorBoard event files. */
  public static final String TENSORBOARD = "tensorboard";

  private final Path dir;
  private final LongSupplier nanoClock;
  private final long start;
  private final EventFileWriter events;
  private final BufferedWriter csv;
  private final List<String> columns = new ArrayList<>();
  private final List<double[]> rewardPoints = new ArrayList<>();
  private final List<double[]> heldOutPoints = new ArrayList<>();
  /** The last step (samples) written of each kind of row: a step is written once. */
  private long lastTrain = -1;
  private long lastHeldOut = -1;

  /** Opens (appending to) the run folder's report files; {@code nanoClock} times the rows. */
  public RunReporter(Path runDir, LongSupplier nanoClock) throws IOException {
    this(runDir, nanoClock, 0);
  }

  private RunReporter(Path runDir, LongSupplier nanoClock, double secondsBefore) throws IOException {
    this.dir = Objects.requireNonNull(runDir, "runDir");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.start = nanoClock.getAsLong() - (long) (secondsBefore * 1e9);
    Files.createDirectories(dir);
    this.events = new EventFileWriter(dir.resolve(TENSORBOARD), System.currentTimeMillis() / 1000);
    Path csvFile = dir.resolve(METRICS_CSV);
    boolean fresh = !Files.exists(csvFile) || Files.size(csvFile) == 0;
    this.csv = Files.newBufferedWriter(csvFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (fresh) {
      columns.addAll(List.of("seconds", "samples", "kind"));
    }
  }

  /**
   * Reopens the report files of a run resumed at {@code samples} samples: rows of {@code metrics.csv} and TensorBoard
   * scalars past that count (written by the session that stopped after its last checkpoint, and about to be trained
   * again) are cut from the files, which are rewritten atomically, and the seconds column continues from its last kept
   * row; so no step appears twice (the new session writes an event file of its own). {@code -1} keeps no row.
   */
  public static RunReporter resumed(Path runDir, LongSupplier nanoClock, long samples) throws IOException {
    Path csvFile = runDir.resolve(METRICS_CSV);
    double lastSeconds = 0;
    long lastTrain = -1;
    long lastHeldOut = -1;
    if (Files.exists(csvFile)) {
      List<String> kept = new ArrayList<>();
      for (String line : Files.readAllLines(csvFile)) {
        if (line.startsWith("#") || line.isBlank()) {
          kept.add(line);
          continue;
        }
        String[] f = line.split(",", 3);
        try {
          long step = f.length < 3 ? Long.MAX_VALUE : Long.parseLong(f[1]);
          if (step > samples) {
            continue;
          }
          lastSeconds = Math.max(lastSeconds, Double.parseDouble(f[0]));
          String kind = f[2].split(",", 2)[0];
          if (kind.equals("train")) {
            lastTrain = Math.max(lastTrain, step);
          } else if (kind.equals("heldout")) {
            lastHeldOut = Math.max(lastHeldOut, step);
          }
        } catch (NumberFormatException e) {
          continue; // a torn last line of a killed session
        }
        kept.add(line);
      }
      Path tmp = Files.createTempFile(runDir, METRICS_CSV, ".tmp");
      Files.write(tmp, kept);
      Files.move(tmp, csvFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    EventFileWriter.cutAfter(runDir.resolve(TENSORBOARD), samples);
    RunReporter r = new RunReporter(runDir, nanoClock, lastSeconds);
    r.lastTrain = lastTrain;
    r.lastHeldOut = lastHeldOut;
    return r;
  }

  private double seconds() {
    return (nanoClock.getAsLong() - start) / 1e9;
  }

  /**
   * Appends one row of training statistics at {@code samples} samples seen (keys become CSV columns and tags); a step
   * not past the last one written is not written again.
   */
  public void step(long samples, Map<String, Double> stats) {
    if (samples <= lastTrain) {
      return;
    }
    lastTrain = samples;
    double t = seconds();
    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%.3f,%d,train", t, samples));
    for (Map.Entry<String, Double> e : stats.entrySet()) {
      row.append(',').append(e.getKey()).append('=').append(String.format(Locale.ROOT, "%.6g", e.getValue()));
      events.scalar("train/" + e.getKey(), e.getValue(), samples, System.currentTimeMillis() / 1000.0);
    }
    Double reward = stats.get("reward");
    if (reward != null && Double.isFinite(reward)) {
      rewardPoints.add(new double[] {samples, reward});
    }
    writeLine(row.toString());
  }

  /** Appends the held-out figures at {@code samples} samples seen; a step not past the last one is not written again. */
  public void heldOut(long samples, EvalResult r) {
    if (samples <= lastHeldOut) {
      return;
    }
    lastHeldOut = samples;
    double t = seconds();
    double now = System.currentTimeMillis() / 1000.0;
    events.scalar("heldout/greedy_iou", r.greedyIoU(), samples, now);
    events.scalar("heldout/sampled_iou", r.sampledIoU(), samples, now);
    events.scalar("heldout/smeasure", r.sMeasure(), samples, now);
    events.scalar("heldout/mae", r.mae(), samples, now);
    events.scalar("heldout/max_f", r.maxF(), samples, now);
    heldOutPoints.add(new double[] {samples, r.greedyIoU(), r.sampledIoU()});
    writeLine(String.format(Locale.ROOT,
        "%.3f,%d,heldout,greedyIoU=%.6g,sampledIoU=%.6g,Smeasure=%.6g,MAE=%.6g,maxF=%.6g,format=%.6g", t, samples,
        r.greedyIoU(), r.sampledIoU(), r.sMeasure(), r.mae(), r.maxF(), r.formatRate()));
  }

  /**
   * Appends one task's held-out figures at {@code samples} samples seen, as a row of kind {@code heldout-TASK} (e.g.
   * {@code heldout-sis}), each figure also a TensorBoard scalar {@code heldout-TASK/NAME}.
   */
  public void heldOutTask(long samples, String task, Map<String, Double> figures) {
    double now = System.currentTimeMillis() / 1000.0;
    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%.3f,%d,heldout-%s", seconds(), samples, task));
    for (Map.Entry<String, Double> e : figures.entrySet()) {
      row.append(',').append(e.getKey()).append('=').append(String.format(Locale.ROOT, "%.6g", e.getValue()));
      events.scalar("heldout-" + task + "/" + e.getKey(), e.getValue(), samples, now);
    }
    writeLine(row.toString());
  }

  private void writeLine(String line) {
    try {
      if (!columns.isEmpty()) {
        csv.write("# rows: seconds,samples,kind,then key=value pairs\n");
        columns.clear();
      }
      csv.write(line);
      csv.newLine();
      csv.flush();
      events.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(METRICS_CSV), e);
    }
  }

  /**
   * Writes {@code heldout-grid.png}: each held-out image (model resolution, scaled 3x) with its true outline in green
   * and the policy's answer in red.
   */
  public void grid(List<Prepared> examples, List<ParseResult> answers) throws IOException {
    if (examples.size() != answers.size()) {
      throw new IllegalArgumentException(examples.size() + " examples but " + answers.size() + " answers");
    }
    int n = examples.size();
    if (n == 0) {
      return;
    }
    int cols = Math.min(8, n);
    int rows = (n + cols - 1) / cols;
    int cell = 192;
    int gap = 4;
    BufferedImage sheet = new BufferedImage(cols * (cell + gap) + gap, rows * (cell + gap) + gap, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    for (int i = 0; i < n; i++) {
      Prepared p = examples.get(i);
      int ox = gap + (i % cols) * (cell + gap);
      int oy = gap + (i / cols) * (cell + gap);
      BufferedImage img = ImageIo.toBufferedImage(p.original().image());
      g.drawImage(img, ox, oy, cell, cell, null);
      g.setStroke(new BasicStroke(2f));
      g.setColor(new Color(40, 220, 40));
      for (Polygon poly : MaskPolygons.polygons(p.original().mask())) {
        draw(g, poly, ox, oy, cell);
      }
      g.setColor(new Color(230, 30, 30));
      if (answers.get(i) instanceof ParseResult.Parsed parsed) {
        for (Polygon poly : ParseResult.polygonsOf(parsed.answer())) {
          draw(g, poly, ox, oy, cell);
        }
      }
    }
    g.dispose();
    ImageIO.write(sheet, "png", dir.resolve(GRID_PNG).toFile());
  }

  private static void draw(Graphics2D g, Polygon poly, int ox, int oy, int cell) {
    int k = poly.size();
    int[] xs = new int[k];
    int[] ys = new int[k];
    for (int j = 0; j < k; j++) {
      xs[j] = ox + (int) Math.round(poly.x(j) * cell);
      ys[j] = oy + (int) Math.round(poly.y(j) * cell);
    }
    g.drawPolygon(xs, ys, k);
  }

  /** Writes the plots and closes the files. */
  @Override
  public void close() throws IOException {
    try {
      if (!rewardPoints.isEmpty()) {
        new LinePlot("mean reward of rollouts", "samples")
            .add("reward", column(rewardPoints, 0), column(rewardPoints, 1))
            .write(dir.resolve(REWARD_PNG), 640, 360);
      }
      if (!heldOutPoints.isEmpty()) {
        new LinePlot("held-out IoU", "samples")
            .add("greedy IoU", column(heldOutPoints, 0), column(heldOutPoints, 1))
            .add("sampled IoU", column(heldOutPoints, 0), column(heldOutPoints, 2))
            .write(dir.resolve(HELD_OUT_PNG), 640, 360);
      }
    } finally {
      csv.close();
      events.close();
    }
  }

  private static double[] column(List<double[]> rows, int c) {
    double[] out = new double[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i)[c];
    }
    return out;
  }
}
