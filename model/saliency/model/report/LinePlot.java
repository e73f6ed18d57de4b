package saliency.model.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;

/** Renders one or more (x, y) series as a PNG line plot with axes and a legend; the plot owns its series lists. */
public final class LinePlot {
  private record Series(String name, Color color, List<double[]> points) {}

  private static final Color[] PALETTE = {
    new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
    new Color(148, 103, 189)
  };

  private final String title;
  private final String xLabel;
  private final List<Series> series = new ArrayList<>();

  public LinePlot(String title, String xLabel) {
    this.title = Objects.requireNonNull(title, "title");
    this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
  }

  /** Adds a series; {@code xs} and {@code ys} must have equal length. Non-finite points are left out. */
  public LinePlot add(String name, double[] xs, double[] ys) {
    if (xs.length != ys.length) {
      throw new IllegalArgumentException(name + ": xs and ys differ in length");
    }
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < xs.length; i++) {
      if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
        pts.add(new double[] {xs[i], ys[i]});
      }
    }
    series.add(new Series(name, PALETTE[series.size() % PALETTE.length], pts));
    return this;
  }

  /** Writes the plot to {@code file} (PNG, {@code width x height}). */
  public void write(Path file, int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    int left = 60;
    int right = 20;
    int top = 30;
    int bottom = 45;
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double[] p : s.points) {
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, p[1]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    if (!Double.isFinite(minX)) {
      minX = 0;
      maxX = 1;
      minY = 0;
      maxY = 1;
    }
    if (maxX - minX < 1e-12) {
      maxX = minX + 1;
    }
    if (maxY - minY < 1e-12) {
      maxY = minY + 1;
    }
    double padY = 0.05 * (maxY - minY);
    minY -= padY;
    maxY += padY;
    int pw = width - left - right;
    int ph = height - top - bottom;
    g.setColor(new Color(230, 230, 230));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i <= 4; i++) {
      int y = top + ph - i * ph / 4;
      g.setColor(new Color(230, 230, 230));
      g.drawLine(left, y, left + pw, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.3f", minY + i * (maxY - minY) / 4), 5, y + 4);
      int x = left + i * pw / 4;
      g.drawString(String.format(Locale.ROOT, "%.0f", minX + i * (maxX - minX) / 4), x - 10, top + ph + 15);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, pw, ph);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(title, left, 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString(xLabel, left + pw / 2 - 20, height - 10);
    g.setStroke(new BasicStroke(1.6f));
    int legendY = top + 15;
    for (Series s : series) {
      g.setColor(s.color);
      int px = -1;
      int py = -1;
      for (double[] p : s.points) {
        int x = left + (int) Math.round((p[0] - minX) / (maxX - minX) * pw);
        int y = top + ph - (int) Math.round((p[1] - minY) / (maxY - minY) * ph);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        } else if (s.points.size() == 1) {
          g.fillOval(x - 2, y - 2, 5, 5);
        }
        px = x;
        py = y;
      }
      g.drawString(s.name, left + pw - 150, legendY);
      legendY += 14;
    }
    g.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(img, "png", file.toFile());
  }
}
