package saliency.actors.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import com.typesafe.config.ConfigFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import saliency.model.data.DataPosition;
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.policy.PolicyNetwork;
import saliency.model.rl.AlgorithmName;
import saliency.model.train.EvalResult;
import saliency.model.train.Evaluator;
import saliency.model.train.PolicyTrainer;
import saliency.model.train.TrainSettings;
import saliency.model.train.TaskEvaluation;
import saliency.model.train.TaskMix;
import saliency.model.train.TaskScores;
import saliency.model.train.TrainingData;
import java.util.Map;
import saliency.model.metrics.instance.InstanceResults;
import saliency.model.text.Task;

/**
 * {@code experiment}: per seed, one SFT warm start, then every RL arm (and an SFT-only control for the same wall clock)
 * from the same SFT weights, each evaluated on the same held-out set; holds only its options.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = "Compare RL arms against an SFT-only control of equal wall clock, over several seeds.")
final class ExperimentCommand implements Callable<Integer> {
  @Option(names = "--data", description = "DUTS-layout folder; default: synthetic scenes")
  Path data;

  @Option(names = "--seeds", defaultValue = "1,2,3", split = ",", description = "seeds (default ${DEFAULT-VALUE})")
  List<Long> seeds;

  @Option(names = "--arms", defaultValue = "sft,cgpo:seqprob,cgpo:calibrated,cgpo:head,grpo", split = ",",
      description = "arms: sft[:LR] (control, optionally at learning rate LR), ALGO[:CONFIDENCE][+sft][+coords] (+sft sets saliency.rl.sft-anchor to 1, adding the SFT loss to RL; +coords sets saliency.rl.coordinates-only, restricting the policy gradient to coordinate tokens); the other RL settings come from saliency.rl (default ${DEFAULT-VALUE})")
  List<String> arms;

  @Option(names = "--sft-seconds", defaultValue = "150", description = "shared SFT warm start per seed")
  double sftSeconds;

  @Option(names = "--rl-seconds", defaultValue = "90", description = "wall clock of each arm")
  double rlSeconds;

  @Option(names = "--eval-images", defaultValue = "500", description = "held-out images (0 = whole split for --data)")
  int evalImages;

  @Option(names = "--eval-samples", defaultValue = "8", description = "K sampled masks per image")
  int evalSamples;

  @Option(names = "--rl-lr", description = "RL learning rate (default from settings)")
  Double rlLr;

  @Option(names = "--threads", defaultValue = "1", description = "TensorFlow intra-op threads")
  int threads;

  @Option(names = "--warm-start", description = "policy checkpoint per seed, SEED replaced by the seed: loaded when it exists, else written after SFT")
  String warmStart;

  @Option(names = "--clock", defaultValue = "wall",
      description = "what the budgets count: wall (elapsed time) or cpu (this process's CPU time, steady when other "
          + "processes share the cores) (default ${DEFAULT-VALUE})")
  String clock;

  @Option(names = "--sft-final-lr",
      description = "decay the warm start's SFT learning rate along a half cosine to this value (default: constant)")
  Double sftFinalLr;

  @Option(names = "--temperature", description = "rollout temperature of the RL arms (default from settings)")
  Double temperature;

  @Option(names = "--group-size", description = "completions per prompt of the grpo and gspo arms (default from settings)")
  Integer groupSize;

  @Option(names = "--csv", description = "append one row per (seed, arm) to this CSV")
  Path csv;

  @Option(names = "--encoder", defaultValue = "conv", description = "conv | mobilenet_v2 (default ${DEFAULT-VALUE})")
  String encoder;

  @Option(names = "--feature-map", defaultValue = TrainSettings.DEFAULT_FEATURE_MAP,
      description = "MobileNetV2 map of the mobilenet_v2 encoder (default ${DEFAULT-VALUE})")
  String featureMap;

  @Option(names = "--tasks", description = "tasks of the synthetic stream and held-out set, TASK:SHARE[,...] (sod, sis, "
      + "cod, cosod; e.g. sis or sod:0.5,sis:0.2,cod:0.3); each row then names its task and adds AP50, AP and "
      + "meanMatchedIoU (SIS) (default: sod, rows as before)")
  String tasks;

  @Override
  public Integer call() throws Exception {
    java.util.function.LongSupplier nanoClock = clock(clock);
    taskMix = tasks == null ? null : TaskMix.parse(tasks);
    if (taskMix != null && data != null && !taskMix.sodOnly()) {
      throw new IllegalArgumentException("--tasks " + tasks + " runs on synthetic scenes; drop --data");
    }
    List<String> rows = new ArrayList<>();
    rows.add(taskMix == null ? "seed,arm,steps,samples,seconds,greedyIoU,sampledIoU,Smeasure,MAE,maxF,format,vertices"
        : "seed,arm,task,steps,samples,seconds,greedyIoU,sampledIoU,Smeasure,MAE,maxF,format,vertices,AP50,AP,"
            + "meanMatchedIoU");
    for (long seed : seeds) {
      TrainSettings d = TrainSettings.defaults();
      TrainSettings base = d.withRl(TrainCommand.rlSettings(ConfigFactory.load())).withSeed(seed).withThreads(threads)
          .withSft(d.sft().withSeconds(sftSeconds)).withRlPhase(d.rlPhase().withSeconds(rlSeconds))
          .withEval(new TrainSettings.Eval(evalImages, evalSamples))
          .withEncoding(d.encoding().withEncoder(encoder, featureMap));
      if (temperature != null) {
        base = base.withRlPhase(base.rlPhase().withTemperature(temperature));
      }
      if (groupSize != null) {
        base = base.withRl(base.rl().withGroupSize(groupSize));
      }
      if (rlLr != null) {
        base = base.withRlPhase(base.rlPhase().withLearningRate(rlLr));
      }
      if (taskMix != null) {
        base = base.forTasks(taskMix);
      }
      try (PolicyNetwork net = PolicyNetwork.create(base.policyConfig())) {
        PolicyTrainer warm = new PolicyTrainer(base, net, nanoClock, new TrainCommand.BarListener());
        if (sftFinalLr != null) {
          warm.withSftDecay(sftFinalLr);
        }
        TrainingData td = data(warm, base);
        Evaluator eval = new Evaluator(warm.encoder(), base.eval().samples());
        Path ckpt = warmStart == null ? null : Path.of(warmStart.replace("SEED", Long.toString(seed)));
        PolicyTrainer.PhaseResult sft;
        if (ckpt != null && Files.exists(ckpt)) {
          PolicyCheckpoint.restore(ckpt, net);
          sft = new PolicyTrainer.PhaseResult("sft-loaded", 0, 0, 0, 0, java.util.Map.of());
          System.out.println("seed " + seed + ": SFT warm start loaded from " + ckpt);
        } else {
          sft = warm.sft(td.train(), base.sft().seconds());
          TrainCommand.BarListener.close();
          if (ckpt != null) {
            PolicyCheckpoint.of(net, null).save(ckpt);
          }
        }
        float[] sftWeights = net.getFlatWeights();
        if (taskMix != null) {
          rows.addAll(taskRows(seed, "sft-warm-start", sft, warm, net, td));
        } else {
          EvalResult e0 = eval.evaluate(net, td.heldOut(), 7);
          rows.add(row(seed, "sft-warm-start", sft, e0));
          System.out.println("seed " + seed + " after SFT (" + sft.steps() + " steps): " + e0);
        }
        if (warm.encoder().featureCache() != null) {
          System.out.println("feature cache: " + warm.encoder().featureCache().stats());
        }
        for (String arm : arms) {
          net.setFlatWeights(sftWeights);
          String spec = arm;
          boolean coords = spec.endsWith("+coords");
          if (coords) {
            spec = spec.substring(0, spec.length() - 7);
          }
          boolean anchored = spec.endsWith("+sft");
          if (anchored) {
            spec = spec.substring(0, spec.length() - 4);
          }
          String[] parts = spec.split(":");
          boolean control = parts[0].equals("sft");
          TrainSettings s = control
              ? (parts.length > 1 ? base.withSft(base.sft().withLearningRate(Double.parseDouble(parts[1]))) : base)
              : base.withRl(base.rl().withAlgo(AlgorithmName.parse(parts[0]),
                  parts.length > 1 ? parts[1] : base.rl().confidence()));
          s = s.withRl(s.rl().withAnchor(anchored ? 1.0 : s.rl().sftAnchor(), coords || s.rl().coordinatesOnly()));
          PolicyTrainer t = new PolicyTrainer(s, net, nanoClock, new TrainCommand.BarListener());
          TrainingData armData = data(t, s);
          t.freezeReference();
          PolicyTrainer.PhaseResult r = control ? t.sft(armData.train(), rlSeconds)
              : t.rl(armData.train(), rlSeconds);
          TrainCommand.BarListener.close();
          if (taskMix != null) {
            System.out.println("seed " + seed + " " + arm + " (" + r.steps() + " steps, last "
                + TrainCommand.format(r.last()) + ")");
            rows.addAll(taskRows(seed, arm, r, warm, net, td));
            continue;
          }
          EvalResult e = eval.evaluate(net, td.heldOut(), 7);
          rows.add(row(seed, arm, r, e));
          System.out.println("seed " + seed + " " + arm + " (" + r.steps() + " steps, last "
              + TrainCommand.format(r.last()) + "): " + e);
        }
      }
    }
    rows.forEach(System.out::println);
    if (encoder.equals(saliency.model.policy.PolicyConfig.MOBILENET_V2)) {
      System.out.println("feature cache (whole run): " + saliency.model.train.FeatureCache.shared(featureMap, threads).stats());
    }
    if (csv != null) {
      boolean exists = Files.exists(csv);
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv,
          exists ? java.nio.file.StandardOpenOption.APPEND : java.nio.file.StandardOpenOption.CREATE))) {
        for (int i = exists ? 1 : 0; i < rows.size(); i++) {
          w.println(rows.get(i));
        }
      }
    }
    return 0;
  }

  /** The clock the budgets count: wall time, or the CPU time of this whole process (every thread, GC included). */
  static java.util.function.LongSupplier clock(String name) {
    switch (name) {
      case "wall":
        return System::nanoTime;
      case "cpu":
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean sun) || sun.getProcessCpuTime() < 0) {
          throw new IllegalArgumentException("--clock cpu: this JVM does not report process CPU time");
        }
        return sun::getProcessCpuTime;
      default:
        throw new IllegalArgumentException("--clock must be wall or cpu, got '" + name + "'");
    }
  }

  private TaskMix taskMix;

  /** One row per task of the held-out set, printing each task's figures. */
  private static List<String> taskRows(long seed, String arm, PolicyTrainer.PhaseResult r, PolicyTrainer t,
      PolicyNetwork net, TrainingData td) {
    List<String> out = new ArrayList<>();
    Map<Task, TaskScores> scores = new TaskEvaluation(t.encoder(), t.settings().eval().samples())
        .evaluate(net, td.heldOut(), 7);
    for (TaskScores sc : scores.values()) {
      System.out.println("seed " + seed + " " + arm + " " + sc);
      EvalResult e = sc.region();
      InstanceResults in = sc.instances();
      out.add(String.format(Locale.ROOT, "%d,%s,%s,%d,%d,%.1f,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f,%.1f,%s,%s,%s", seed, arm,
          sc.task().name().toLowerCase(Locale.ROOT), r.steps(), r.samples(), r.seconds(), e.greedyIoU(),
          e.sampledIoU(), e.sMeasure(), e.mae(), e.maxF(), e.formatRate(), e.meanVertices(),
          in == null ? "" : String.format(Locale.ROOT, "%.4f", in.ap50()),
          in == null ? "" : String.format(Locale.ROOT, "%.4f", in.ap()),
          in == null ? "" : String.format(Locale.ROOT, "%.4f", in.meanMatchedIou())));
    }
    return out;
  }

  private TrainingData data(PolicyTrainer t, TrainSettings s) {
    if (taskMix != null && data == null) {
      return TrainingData.synthetic(t.encoder(), s.seed(), s.eval().images(), DataPosition.START, taskMix);
    }
    return data == null
        ? TrainingData.synthetic(t.encoder(), s.seed(), s.eval().images(), DataPosition.START)
        : TrainingData.directory(t.encoder(), data, s.seed(), s.eval().images(), DataPosition.START);
  }

  private static String row(long seed, String arm, PolicyTrainer.PhaseResult r, EvalResult e) {
    return String.format(Locale.ROOT, "%d,%s,%d,%d,%.1f,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f,%.1f", seed, arm, r.steps(),
        r.samples(), r.seconds(), e.greedyIoU(), e.sampledIoU(), e.sMeasure(), e.mae(), e.maxF(), e.formatRate(),
        e.meanVertices());
  }
}
