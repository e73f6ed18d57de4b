package saliency.model.train;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Properties;
import saliency.model.data.Augmentation;
import saliency.model.policy.PolicyConfig;
import saliency.model.reward.RewardWeights;
import saliency.model.rl.AlgorithmName;
import saliency.model.rl.RlSettings;

/**
 * The files of a training run folder: {@code settings.properties} (the TrainSettings the policy was built with) and
 * {@code policy.ckpt}; holds only the folder path.
 */
public record RunFolder(Path dir) {
  public static final String SETTINGS = "settings.properties";
  public static final String POLICY = "policy.ckpt";
  /** The frozen promptable segmenter of a {@code prompt}-answer run. */
  public static final String SEGMENTER = "segmenter.ckpt";
  /** Key of {@code settings.properties} holding the run's data source: an absolute folder or {@link #SYNTHETIC}. */
  public static final String DATA = "data";
  /** The data source of a run on the built-in synthetic scenes. */
  public static final String SYNTHETIC = "synthetic";

  public RunFolder {
    Objects.requireNonNull(dir, "dir");
  }

  public Path settingsFile() {
    return dir.resolve(SETTINGS);
  }

  public Path policyFile() {
    return dir.resolve(POLICY);
  }

  public Path segmenterFile() {
    return dir.resolve(SEGMENTER);
  }

  /** Writes {@code s} atomically (temp file, then rename), without a data source. */
  public void writeSettings(TrainSettings s) throws IOException {
    write(s, null, Augmentation.Settings.off());
  }

  /**
   * Writes {@code s} and the run's data source atomically (temp file, then rename).
   *
   * @param data the training folder (stored absolute and normalized), or null for the synthetic scenes
   */
  public void writeSettings(TrainSettings s, Path data) throws IOException {
    write(s, dataSource(data), Augmentation.Settings.off());
  }

  /** Writes {@code s}, the run's data source and its augmentation settings atomically (temp file, then rename). */
  public void writeSettings(TrainSettings s, Path data, Augmentation.Settings augment) throws IOException {
    write(s, dataSource(data), augment);
  }

  /** Keys of the augmentation settings, in {@link Augmentation.Settings} order. */
  static final String[] AUGMENT_KEYS = {"augment.views", "augment.share", "augment.copy-paste",
      "augment.min-crop-area", "augment.jitter", "augment.max-mib"};

  /**
   * The run's augmentation settings; a folder written before they were recorded trained without views, so it reads
   * as {@link Augmentation.Settings#off()}.
   */
  public Augmentation.Settings readAugment() throws IOException {
    Properties p = load();
    if (p.getProperty(AUGMENT_KEYS[0]) == null) {
      return Augmentation.Settings.off();
    }
    Getter g = new Getter(p, settingsFile());
    try {
      return new Augmentation.Settings(g.i(AUGMENT_KEYS[0]), g.d(AUGMENT_KEYS[1]), g.d(AUGMENT_KEYS[2]),
          g.d(AUGMENT_KEYS[3]), g.d(AUGMENT_KEYS[4]), g.i(AUGMENT_KEYS[5]));
    } catch (IllegalArgumentException e) {
      throw new IOException(settingsFile() + ": " + e.getMessage(), e);
    }
  }

  /** The recorded form of a data source: the absolute, normalized folder, or {@link #SYNTHETIC} for null. */
  public static String dataSource(Path data) {
    return data == null ? SYNTHETIC : data.toAbsolutePath().normalize().toString();
  }

  private void write(TrainSettings s, String data, Augmentation.Settings a) throws IOException {
    Files.createDirectories(dir);
    Properties p = new Properties();
    if (data != null) {
      p.setProperty(DATA, data);
    }
    Object[] augment = {a.views(), a.share(), a.copyPaste(), a.minCropArea(), a.jitter(), a.maxMib()};
    for (int i = 0; i < AUGMENT_KEYS.length; i++) {
      p.setProperty(AUGMENT_KEYS[i], augment[i].toString());
    }
    TrainSettings.Sizes z = s.sizes();
    p.setProperty("image-size", Integer.toString(z.imageSize()));
    p.setProperty("bins", Integer.toString(z.bins()));
    p.setProperty("max-vertices", Integer.toString(z.maxVertices()));
    p.setProperty("max-len", Integer.toString(z.maxLen()));
    p.setProperty("sft-seconds", Double.toString(s.sft().seconds()));
    p.setProperty("rl-seconds", Double.toString(s.rlPhase().seconds()));
    p.setProperty("max-steps", Integer.toString(s.maxSteps()));
    p.setProperty("sft-batch", Integer.toString(s.sft().batch()));
    p.setProperty("sft-learning-rate", Double.toString(s.sft().learningRate()));
    p.setProperty("rl-batch", Integer.toString(s.rlPhase().batch()));
    p.setProperty("rl-learning-rate", Double.toString(s.rlPhase().learningRate()));
    p.setProperty("temperature", Double.toString(s.rlPhase().temperature()));
    RlSettings rl = s.rl();
    p.setProperty("algo", rl.algo().configName());
    p.setProperty("group-size", Integer.toString(rl.groupSize()));
    p.setProperty("baseline-window", Integer.toString(rl.baselineWindow()));
    p.setProperty("confidence", rl.confidence());
    p.setProperty("off-policy-correction", Boolean.toString(rl.offPolicyCorrection()));
    p.setProperty("token-clip-low", Double.toString(rl.tokenClipLow()));
    p.setProperty("token-clip-high", Double.toString(rl.tokenClipHigh()));
    p.setProperty("sequence-clip-low", Double.toString(rl.sequenceClipLow()));
    p.setProperty("sequence-clip-high", Double.toString(rl.sequenceClipHigh()));
    p.setProperty("kl-beta", Double.toString(rl.klBeta()));
    p.setProperty("head-weight", Double.toString(rl.headWeight()));
    p.setProperty("sft-anchor", Double.toString(rl.sftAnchor()));
    p.setProperty("coordinates-only", Boolean.toString(rl.coordinatesOnly()));
    p.setProperty("clip-norm", Double.toString(s.clipNorm()));
    p.setProperty("reward.iou", Double.toString(s.rewardWeights().iou()));
    p.setProperty("reward.smeasure", Double.toString(s.rewardWeights().smeasure()));
    p.setProperty("reward.centroid", Double.toString(s.rewardWeights().centroid()));
    p.setProperty("reward.format", Double.toString(s.rewardWeights().format()));
    p.setProperty("eval-images", Integer.toString(s.eval().images()));
    p.setProperty("eval-samples", Integer.toString(s.eval().samples()));
    p.setProperty("intra-op-threads", Integer.toString(s.intraOpThreads()));
    p.setProperty("seed", Long.toString(s.seed()));
    p.setProperty("encoder", s.encoding().encoder());
    p.setProperty("feature-map", s.encoding().featureMap());
    p.setProperty("answer", s.encoding().answer());
    p.setProperty("group-context", Integer.toString(s.encoding().groupContext()));
    Path tmp = Files.createTempFile(dir, SETTINGS, ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "saliency training settings");
    }
    Files.move(tmp, settingsFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Reads the settings back; a missing file or key is an error naming the file and key, except {@code encoder},
   * {@code feature-map}, {@code answer} and {@code group-context}, which folders written before they existed lack:
   * those read as {@code conv}, the default map, {@code polygon} and 0.
   */
  public TrainSettings readSettings() throws IOException {
    Path f = settingsFile();
    Properties p = load();
    Getter g = new Getter(p, f);
    try {
      return settings(g);
    } catch (IllegalArgumentException e) {
      throw new IOException(f + ": " + e.getMessage(), e);
    }
  }

  /**
   * The run's recorded data source ({@link #dataSource} form), or empty for a folder written before it was recorded;
   * a missing {@code settings.properties} is an error.
   */
  public java.util.Optional<String> readData() throws IOException {
    Properties p = load();
    String v = p.getProperty(DATA);
    return v == null || v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(v.trim());
  }

  /**
   * Settings from the text of a {@code settings.properties} file (sent to another node instead of the file itself);
   * {@code source} names where it came from in errors.
   */
  public static TrainSettings settingsFromText(String text, String source) throws IOException {
    Properties p = new Properties();
    p.load(new java.io.StringReader(Objects.requireNonNull(text, "text")));
    Path f = Path.of(Objects.requireNonNull(source, "source"));
    try {
      return settings(new Getter(p, f));
    } catch (IllegalArgumentException e) {
      throw new IOException(f + ": " + e.getMessage(), e);
    }
  }

  private Properties load() throws IOException {
    Path f = settingsFile();
    if (!Files.isRegularFile(f)) {
      throw new NoSuchFileException(f.toString(), null, "not a run folder: " + SETTINGS + " is missing");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f)) {
      p.load(r);
    }
    return p;
  }

  private static TrainSettings settings(Getter g) throws IOException {
    return new TrainSettings(
        new TrainSettings.Sizes(g.i("image-size"), g.i("bins"), g.i("max-vertices"), g.i("max-len")),
        new TrainSettings.Encoding(g.s("encoder", PolicyConfig.CONV),
            g.s("feature-map", TrainSettings.DEFAULT_FEATURE_MAP), g.s("answer", TrainSettings.POLYGON),
            g.i("group-context", 0)),
        new TrainSettings.Sft(g.d("sft-seconds"), g.i("sft-batch"), g.d("sft-learning-rate")),
        new TrainSettings.RlPhase(g.d("rl-seconds"), g.i("rl-batch"), g.d("rl-learning-rate"), g.d("temperature")),
        rl(g),
        new RewardWeights(g.d("reward.iou"), g.d("reward.smeasure"), g.d("reward.centroid"), g.d("reward.format")),
        new TrainSettings.Eval(g.i("eval-images"), g.i("eval-samples")),
        g.d("clip-norm"), g.i("max-steps"), g.i("intra-op-threads"), Long.parseLong(g.s("seed")));
  }

  /** The RL settings; keys that folders written before them lack read as {@link RlSettings#defaults()}. */
  private static RlSettings rl(Getter g) throws IOException {
    RlSettings d = RlSettings.defaults();
    return new RlSettings(AlgorithmName.parse(g.s("algo")), g.i("group-size"),
        Integer.parseInt(g.s("baseline-window", Integer.toString(d.baselineWindow()))), g.s("confidence"),
        Boolean.parseBoolean(g.s("off-policy-correction", Boolean.toString(d.offPolicyCorrection()))),
        g.d("token-clip-low", d.tokenClipLow()), g.d("token-clip-high", d.tokenClipHigh()),
        g.d("sequence-clip-low", d.sequenceClipLow()), g.d("sequence-clip-high", d.sequenceClipHigh()),
        g.d("kl-beta"), g.d("head-weight"), g.d("sft-anchor", d.sftAnchor()),
        Boolean.parseBoolean(g.s("coordinates-only", Boolean.toString(d.coordinatesOnly()))));
  }

  private record Getter(Properties p, Path file) {
    double d(String key, double absent) throws IOException {
      return p.getProperty(key) == null ? absent : d(key);
    }

    String s(String key, String absent) {
      String v = p.getProperty(key);
      return v == null ? absent : v.trim();
    }

    String s(String key) throws IOException {
      String v = p.getProperty(key);
      if (v == null) {
        throw new IOException(file + ": missing key '" + key + "'");
      }
      return v.trim();
    }

    int i(String key, int absent) throws IOException {
      return p.getProperty(key) == null ? absent : i(key);
    }

    int i(String key) throws IOException {
      try {
        return Integer.parseInt(s(key));
      } catch (NumberFormatException e) {
        throw new IOException(file + ": key '" + key + "' is not an integer: " + p.getProperty(key), e);
      }
    }

    double d(String key) throws IOException {
      try {
        return Double.parseDouble(s(key));
      } catch (NumberFormatException e) {
        throw new IOException(file + ": key '" + key + "' is not a number: " + p.getProperty(key), e);
      }
    }
  }
}
