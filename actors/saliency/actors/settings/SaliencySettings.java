package saliency.actors.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import saliency.model.optim.Adam;
import saliency.model.rl.AlgorithmName;
import saliency.model.rl.RlSettings;
import saliency.streams.PipelineSettings;

/**
 * All {@code saliency.*} settings of a node, read once from a {@link Config}; immutable.
 *
 * @param runDir {@code saliency.run-dir}: checkpoints and logs of the run
 * @param learner {@code saliency.learner}
 * @param pipeline {@code saliency.pipeline}
 * @param rl {@code saliency.rl}: the RL algorithm and its hyperparameters
 * @param policy {@code saliency.policy}
 * @param serialization {@code saliency.serialization}
 * @param selfJoin {@code saliency.cluster.self-join}: join the node to itself at start-up
 * @param maximumFrameSize {@code pekko.remote.artery.advanced.maximum-frame-size} in bytes
 */
public record SaliencySettings(
    Path runDir,
    Learner learner,
    PipelineSettings pipeline,
    RlSettings rl,
    Policy policy,
    Serialization serialization,
    boolean selfJoin,
    int maximumFrameSize) {

  /** Name of the blocking dispatcher for TensorFlow calls. */
  public static final String TF_DISPATCHER = "saliency.tf-dispatcher";

  public SaliencySettings {
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(learner, "learner");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(rl, "rl");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(serialization, "serialization");
    if (maximumFrameSize <= serialization.frameHeadroom() + 1024) {
      throw new IllegalArgumentException("pekko.remote.artery.advanced.maximum-frame-size (" + maximumFrameSize
          + ") must exceed saliency.serialization.frame-headroom (" + serialization.frameHeadroom() + ") + 1 KiB");
    }
  }

  /**
   * {@code saliency.learner}.
   *
   * @param slices {@code slices}: requested slice count N (raised to fit the frame size, see {@link SliceLayout})
   * @param accumulate {@code accumulate}: accepted gradients averaged per Adam step
   * @param maxStaleness {@code max-staleness}: largest allowed {@code version - baseVersion} of an accepted gradient
   * @param clipNorm {@code clip-norm}: L2 clip of each slice's averaged gradient (0 = none)
   * @param checkpointEvery {@code checkpoint-every}: checkpoint every K applied updates
   * @param adam {@code adam.lr}, {@code adam.beta1}, {@code adam.beta2}, {@code adam.eps}
   */
  public record Learner(
      int slices, int accumulate, int maxStaleness, double clipNorm, int checkpointEvery, Adam.Settings adam) {
    public Learner {
      Objects.requireNonNull(adam, "adam");
      if (slices < 1 || accumulate < 1 || maxStaleness < 0 || checkpointEvery < 1 || clipNorm < 0) {
        throw new IllegalArgumentException("bad saliency.learner settings: slices=" + slices + " accumulate="
            + accumulate + " max-staleness=" + maxStaleness + " checkpoint-every=" + checkpointEvery
            + " clip-norm=" + clipNorm);
      }
    }
  }

  /**
   * {@code saliency.policy}.
   *
   * @param device {@code device}: cpu or gpu
   * @param count {@code count}: policy actors on this node
   * @param resubscribeInterval {@code resubscribe-interval}: how often a policy actor re-subscribes to every slice
   * @param askTimeout {@code ask-timeout}: timeout of one sample/score/gradient request
   */
  public record Policy(String device, int count, Duration resubscribeInterval, Duration askTimeout) {
    public Policy {
      Objects.requireNonNull(device, "device");
      if (!device.equals("cpu") && !device.equals("gpu")) {
        throw new IllegalArgumentException("saliency.policy.device must be cpu or gpu: " + device);
      }
      if (count < 1) {
        throw new IllegalArgumentException("saliency.policy.count must be >= 1: " + count);
      }
    }
  }

  /**
   * {@code saliency.serialization}.
   *
   * @param checkSize {@code check-size}: serialize large messages before sending and fail when over the frame
   * @param frameHeadroom {@code frame-headroom}: bytes of a frame kept for the envelope when sizing slices
   * @param extraClasses {@code extra-classes}: further classes registered with Kryo, in order
   */
  public record Serialization(boolean checkSize, int frameHeadroom, List<String> extraClasses) {
    public Serialization {
      extraClasses = List.copyOf(extraClasses);
      if (frameHeadroom < 0) {
        throw new IllegalArgumentException("saliency.serialization.frame-headroom must be >= 0: " + frameHeadroom);
      }
    }
  }

  /** Reads the settings from a full node config (with the {@code saliency} and {@code pekko} blocks). */
  public static SaliencySettings fromConfig(Config config) {
    Config s = config.getConfig("saliency");
    Config l = s.getConfig("learner");
    Config a = l.getConfig("adam");
    Config p = s.getConfig("policy");
    Config z = s.getConfig("serialization");
    return new SaliencySettings(
        Path.of(s.getString("run-dir")),
        new Learner(
            l.getInt("slices"),
            l.getInt("accumulate"),
            l.getInt("max-staleness"),
            l.getDouble("clip-norm"),
            l.getInt("checkpoint-every"),
            new Adam.Settings(a.getDouble("lr"), a.getDouble("beta1"), a.getDouble("beta2"), a.getDouble("eps"))),
        PipelineSettings.fromConfig(s.getConfig("pipeline")),
        rl(s.getConfig("rl")),
        new Policy(p.getString("device"), policyCount(p, config), p.getDuration("resubscribe-interval"),
            p.getDuration("ask-timeout")),
        new Serialization(z.getBoolean("check-size"), z.getInt("frame-headroom"), z.getStringList("extra-classes")),
        s.getBoolean("cluster.self-join"),
        (int) config.getBytes("pekko.remote.artery.advanced.maximum-frame-size").longValue());
  }

  /** Most policy actors {@code count = auto} starts: one per core up to this many. */
  static final int AUTO_POLICY_COUNT_MAX = 4;

  /**
   * {@code saliency.policy.count}: a number, or {@code auto} for one policy actor per available core (at most
   * {@link #AUTO_POLICY_COUNT_MAX}); never more than the threads of {@code saliency.tf-dispatcher}, since each actor
   * blocks one of them while TensorFlow runs.
   */
  static int policyCount(Config policy, Config config) {
    int count = "auto".equals(policy.getValue("count").unwrapped())
        ? Math.min(AUTO_POLICY_COUNT_MAX, Math.max(1, Runtime.getRuntime().availableProcessors()))
        : policy.getInt("count");
    String pool = TF_DISPATCHER + ".thread-pool-executor.fixed-pool-size";
    if (config.hasPath(pool) && count > config.getInt(pool)) {
      throw new IllegalArgumentException("saliency.policy.count " + count + " is more than the " + config.getInt(pool)
          + " threads of " + TF_DISPATCHER + " (" + pool + "): each policy actor needs its own thread");
    }
    return count;
  }

  /**
   * Reads a {@code saliency.rl} block (pass {@code config.getConfig("saliency.rl")}) and checks that the algorithm
   * accepts it; errors name the block or key.
   */
  public static RlSettings rl(Config rl) {
    AlgorithmName algo;
    try {
      algo = AlgorithmName.parse(rl.getString("algo"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("saliency.rl.algo: " + e.getMessage(), e);
    }
    try {
      RlSettings settings = new RlSettings(algo, rl.getInt("group-size"), rl.getInt("baseline-window"), rl.getString("confidence"),
          rl.getBoolean("off-policy-correction"), rl.getDouble("token-clip-low"), rl.getDouble("token-clip-high"),
          rl.getDouble("sequence-clip-low"), rl.getDouble("sequence-clip-high"), rl.getDouble("kl-beta"),
          rl.getDouble("head-weight"), rl.getDouble("sft-anchor"), rl.getBoolean("coordinates-only"));
      settings.algorithm(); // the algorithm's own checks (a group of at least two for grpo and gspo)
      return settings;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("saliency.rl: " + e.getMessage(), e);
    }
  }

  /** {@code s} as a {@code saliency.rl} block of a full config: what {@link #rl(Config)} reads back as {@code s}. */
  public static Config rlConfig(RlSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algo", s.algo().configName());
    m.put("group-size", s.groupSize());
    m.put("baseline-window", s.baselineWindow());
    m.put("confidence", s.confidence());
    m.put("off-policy-correction", s.offPolicyCorrection());
    m.put("token-clip-low", s.tokenClipLow());
    m.put("token-clip-high", s.tokenClipHigh());
    m.put("sequence-clip-low", s.sequenceClipLow());
    m.put("sequence-clip-high", s.sequenceClipHigh());
    m.put("kl-beta", s.klBeta());
    m.put("head-weight", s.headWeight());
    m.put("sft-anchor", s.sftAnchor());
    m.put("coordinates-only", s.coordinatesOnly());
    return ConfigFactory.parseMap(m).atPath("saliency.rl");
  }

  /** Largest serialized message allowed: the frame size minus the envelope headroom. */
  public int messageSizeLimit() {
    return maximumFrameSize - serialization.frameHeadroom();
  }

  /** Most floats one slice message may carry: the message size limit over 4 bytes, less 256 bytes for the fields. */
  public int maxFloatsPerSlice() {
    return (messageSizeLimit() - 256) / 4;
  }

  /** The slice layout for a policy of {@code parameterCount} floats under these settings. */
  public SliceLayout layout(int parameterCount) {
    return SliceLayout.of(parameterCount, learner.slices(), maxFloatsPerSlice());
  }
}
