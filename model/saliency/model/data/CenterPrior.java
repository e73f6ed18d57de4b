package saliency.model.data;

/**
 * The centre-prior saliency baseline: an axis-aligned Gaussian at the image centre, scaled so its peak is 1; an
 * immutable value.
 *
 * <p>At pixel centre {@code (x + 0.5, y + 0.5)} the map is
 * {@code exp(-((x+0.5-W/2)^2 / (2 (s W)^2) + (y+0.5-H/2)^2 / (2 (s H)^2)))} divided by its maximum, with
 * {@code s} the sigma as a fraction of each dimension ({@link #DEFAULT_SIGMA} = 0.25).
 *
 * @param sigmaFraction the Gaussian's standard deviation as a fraction of the width (x) and height (y)
 */
public record CenterPrior(double sigmaFraction) {
  /** Default sigma: a quarter of each image dimension. */
  public static final double DEFAULT_SIGMA = 0.25;

  public CenterPrior {
    if (!(sigmaFraction > 0) || Double.isInfinite(sigmaFraction)) {
      throw new IllegalArgumentException("sigma fraction must be positive and finite: " + sigmaFraction);
    }
  }

  /** The prior with {@link #DEFAULT_SIGMA}. */
  public static CenterPrior standard() {
    return new CenterPrior(DEFAULT_SIGMA);
  }

  /** The row-major {@code width x height} map, values in (0,1], maximum exactly 1. */
  public double[] map(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("map size must be positive: " + width + "x" + height);
    }
    double[] gx = axis(width);
    double[] gy = axis(height);
    double[] out = new double[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out[y * width + x] = gx[x] * gy[y];
      }
    }
    return out;
  }

  /** A 1-D Gaussian over {@code n} pixel centres, normalized to peak 1 (separability keeps the 2-D peak at 1). */
  private double[] axis(int n) {
    double sigma = sigmaFraction * n;
    double[] g = new double[n];
    double max = 0;
    for (int i = 0; i < n; i++) {
      double d = i + 0.5 - n / 2.0;
      g[i] = Math.exp(-d * d / (2 * sigma * sigma));
      max = Math.max(max, g[i]);
    }
    for (int i = 0; i < n; i++) {
      g[i] /= max;
    }
    return g;
  }
}
