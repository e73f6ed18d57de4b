package saliency.actors.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import saliency.actors.serve.RunPredictor;
import saliency.model.data.CenterPrior;
import saliency.model.data.DirectoryDataset;
import saliency.model.data.LabelledImage;
import saliency.model.policy.PolicyNetwork;
import saliency.model.segment.PromptSegmenter;
import saliency.model.segment.SegmenterCheckpoint;
import saliency.model.tfjs.SelfieSegmenter;
import saliency.model.data.GroupDataset;
import saliency.model.train.Evaluator;
import saliency.model.train.GroupMaps;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.RunFolder;
import saliency.model.train.SaliencyMaps;
import saliency.model.train.TrainSettings;
import saliency.model.train.TaskEvaluation;
import saliency.model.train.TaskMix;
import saliency.model.train.TrainingData;
import saliency.model.metrics.instance.InstanceMetrics;
import saliency.model.text.Task;

/**
 * {@code eval}: writes one 8-bit saliency map per image (same stem, original size) from a trained run or a baseline and
 * prints the metrics JSON of the {@code metrics} command; holds only its options.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Write saliency maps of a trained run (mean of K sampled masks) or a baseline, and print their metrics.")
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--run", description = "run folder written by train (settings.properties, policy.ckpt, or the "
      + "learner slice checkpoints of a stopped run)")
  Path run;

  @Option(names = "--baseline", description = "centre-prior | selfie, instead of --run")
  String baseline;

  @Option(names = "--data", required = true, description = "DUTS-layout folder (images/, masks/; instances/ for "
      + "--task sis; images/GROUP/, masks/GROUP/ for --task cosod, as CoCA and CoSal2015), or synthetic[:N] for the N "
      + "(default 200) fixed held-out synthetic scenes of the task that train evaluates on (cosod: whole groups)")
  Path data;

  @Option(names = "--task", defaultValue = "sod", description = "sod | cod | sis | cosod: the task prompt the policy "
      + "answers; sis reads instances/ and adds COCO AP50, AP50:95 and the mean matched IoU of the greedy <ins> answers "
      + "to the metrics of their union; cosod reads image groups, answers each image with its group as context and "
      + "adds the S-measure and max-F of each group and their mean over groups (default ${DEFAULT-VALUE})")
  String task;

  @Option(names = "--out", description = "folder for the maps (STEM.png); omitted: metrics only")
  Path out;

  @Option(names = "--split", defaultValue = "all", description = "all | held-out | train | validation (the part of "
      + "train that train --data sets aside) (default ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--samples", defaultValue = "8", description = "K sampled masks averaged per map; 1 = greedy binary mask")
  int samples;

  @Option(names = "--threads", defaultValue = "1", description = "TensorFlow intra-op threads")
  int threads;

  @Override
  public Integer call() throws Exception {
    if ((run == null) == (baseline == null)) {
      spec.commandLine().getErr().println("eval: give exactly one of --run RUN_DIR or --baseline centre-prior|selfie");
      spec.commandLine().getErr().flush();
      return 2;
    }
    Task t = TaskMix.task(task.trim(), "--task");
    if (t == Task.SIS && baseline != null) {
      throw new IllegalArgumentException("--task sis needs --run (a baseline writes no instances)");
    }
    if (data.toString().equals("synthetic") || data.toString().startsWith("synthetic:")) {
      return synthetic(t);
    }
    if (t == Task.COSOD) {
      return groupFolder();
    }
    DirectoryDataset ds = t == Task.SIS ? DirectoryDataset.scanInstances(data) : DirectoryDataset.scan(data);
    List<DirectoryDataset.ImagePair> pairs = switch (split) {
      case "all" -> ds.pairs();
      case "held-out" -> ds.split(DirectoryDataset.DEFAULT_HELD_OUT, TrainingData.SPLIT_SEED).heldOut();
      case "train" -> ds.split(DirectoryDataset.DEFAULT_HELD_OUT, TrainingData.SPLIT_SEED).train();
      case "validation" -> ds.split(DirectoryDataset.DEFAULT_HELD_OUT, TrainingData.SPLIT_SEED).train().stream()
          .filter(p -> TrainingData.inValidation(p.name(), saliency.actors.train.TrainRun.VALIDATION_SHARE)).toList();
      default -> throw new IllegalArgumentException("--split must be all, held-out, train or validation, got '"
          + split + "'");
    };
    checkOut();
    SaliencyMaps maps = new SaliencyMaps(out);
    InstanceMetrics instances = t == Task.SIS ? new InstanceMetrics() : null;
    if (baseline != null) {
      runBaseline(ds, pairs, maps);
    } else {
      List<java.util.function.Supplier<Optional<LabelledImage>>> images = new ArrayList<>();
      pairs.forEach(p -> images.add(() -> ds.load(p)));
      runPolicy(images, t, maps, instances);
    }
    if (maps.count() == 0) { // --out is created by the first map written, so it does not exist here unless it did
      throw new IOException("no image could be evaluated in " + data + " (" + pairs.size() + " pairs in the "
          + split + " split; " + ds.report().summary() + ")");
    }
    if (!ds.report().skips().isEmpty()) {
      spec.commandLine().getErr().println("eval: " + ds.report().summary());
      spec.commandLine().getErr().flush();
    }
    printMetrics(t, maps, instances);
    return 0;
  }

  private void checkOut() throws IOException {
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      throw new IOException("--out " + out + " is a file, not a folder");
    }
  }

  /** The centre prior of {@code --baseline centre-prior}, the one baseline that maps image groups. */
  private CenterPrior baselinePrior() {
    if (!baseline.equals("centre-prior") && !baseline.equals("center-prior")) {
      throw new IllegalArgumentException("--task cosod takes --baseline centre-prior, got '" + baseline + "'");
    }
    return CenterPrior.standard();
  }

  /** {@code --data synthetic[:N]}: the task's N fixed held-out synthetic scenes (those train evaluates on). */
  private int synthetic(Task t) throws Exception {
    int n = syntheticCount();
    if (baseline != null) {
      throw new IllegalArgumentException("--data synthetic needs --run");
    }
    SaliencyMaps maps = new SaliencyMaps(out);
    if (t == Task.COSOD) {
      GroupMaps groups = new GroupMaps();
      withPolicy((net, enc, evaluator) -> evaluateGroups(net, evaluator, TrainingData.heldOutGroups(enc, n), maps,
          groups, 7));
      printGroupMetrics(maps, groups);
      return 0;
    }
    InstanceMetrics instances = t == Task.SIS ? new InstanceMetrics() : null;
    int size = new RunFolder(run).readSettings().sizes().imageSize();
    saliency.model.data.SyntheticScenes scenes = TrainingData.syntheticScenes(t, TrainingData.HELD_OUT_SEED, size);
    List<java.util.function.Supplier<Optional<LabelledImage>>> images = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long index = i;
      images.add(() -> Optional.of(scenes.get(index)));
    }
    runPolicy(images, t, maps, instances);
    printMetrics(t, maps, instances);
    return 0;
  }

  /** N of {@code --data synthetic[:N]}. */
  private int syntheticCount() {
    String spec0 = data.toString();
    int n = 200;
    if (spec0.startsWith("synthetic:")) {
      try {
        n = Integer.parseInt(spec0.substring("synthetic:".length()));
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1) {
        throw new IllegalArgumentException("--data " + spec0 + ": N must be a positive whole number");
      }
    }
    return n;
  }

  /**
   * {@code --task cosod} on a CoCA-layout folder: the groups of the split (a group is held out as a whole, by a hash
   * of its name), each image answered with its group as context, or a baseline's maps.
   */
  private int groupFolder() throws Exception {
    GroupDataset ds = GroupDataset.scan(data);
    List<GroupDataset.Group> groups = switch (split) {
      case "all" -> ds.groups();
      case "held-out", "train" -> ds.groups().stream().filter(g -> DirectoryDataset.isHeldOut(g.name(),
          DirectoryDataset.DEFAULT_HELD_OUT, TrainingData.SPLIT_SEED) == split.equals("held-out")).toList();
      default -> throw new IllegalArgumentException("--split must be all, held-out or train with --task cosod, got '"
          + split + "'");
    };
    checkOut();
    SaliencyMaps maps = new SaliencyMaps(out);
    GroupMaps groupMaps = new GroupMaps();
    if (baseline != null) {
      CenterPrior prior = baselinePrior();
      for (GroupDataset.Group g : groups) {
        for (LabelledImage li : ds.load(g)) {
          double[] map = prior.map(li.mask().width(), li.mask().height());
          maps.add(li.name(), map, li.mask());
          groupMaps.add(g.name(), li.name(), map, li.mask());
        }
      }
    } else {
      withPolicy((net, enc, evaluator) -> {
        for (int i = 0; i < groups.size(); i++) {
          List<LabelledImage> images = ds.load(groups.get(i));
          if (!images.isEmpty()) {
            evaluateGroups(net, evaluator, enc.prepareGroup(groups.get(i).name(), images, false), maps, groupMaps,
                7 + i);
          }
        }
      });
    }
    if (maps.count() == 0) {
      throw new IOException("no image could be evaluated in " + data + " (" + groups.size() + " groups in the "
          + split + " split; " + ds.report().summary() + ")");
    }
    if (!ds.report().skips().isEmpty()) {
      spec.commandLine().getErr().println("eval: " + ds.report().summary());
      spec.commandLine().getErr().flush();
    }
    printGroupMetrics(maps, groupMaps);
    return 0;
  }

  /** Evaluates prepared CoSOD examples, adding each map to {@code maps} and to its group in {@code groups}. */
  private static void evaluateGroups(PolicyNetwork net, Evaluator evaluator, List<Prepared> examples,
      SaliencyMaps maps, GroupMaps groups, long seed) {
    evaluator.evaluate(net, examples, seed, (p, map) -> {
      maps.add(p.original().name(), map, p.original().mask());
      TaskEvaluation.addToGroup(groups, p, map);
    });
  }

  /**
   * The CoSOD metrics JSON line: the task, the mean over groups of each group's S-measure and max-F, each group's
   * figures, then the metrics of all maps together.
   */
  private void printGroupMetrics(SaliencyMaps maps, GroupMaps groups) {
    GroupMaps.Scores scores = groups.results();
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("task", "cosod");
    m.put("groups", scores.groups().size());
    m.put("groupSmeasure", finite(scores.sMeasure()));
    m.put("groupMaxF", finite(scores.maxF()));
    java.util.Map<String, Object> perGroup = new java.util.LinkedHashMap<>();
    scores.groups().forEach((name, r) -> perGroup.put(name, java.util.Map.of("Smeasure", finite(r.sMeasure()),
        "maxF", finite(r.maxFm()), "images", r.images())));
    m.put("perGroup", perGroup);
    maps.results().asMap().forEach((k, v) -> m.put(k, finite(v)));
    spec.commandLine().getOut().println(
        new com.google.gson.GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(m));
    spec.commandLine().getOut().flush();
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /**
   * The metrics JSON line: the salient-object metrics of the maps; for SIS first the task, the instance figures
   * (NaN written as null) and then those metrics of the union of the instances.
   */
  private void printMetrics(Task t, SaliencyMaps maps, InstanceMetrics instances) {
    String line;
    if (instances == null) {
      line = maps.results().toJson();
    } else {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("task", "sis");
      instances.results().asMap().forEach((k, v) -> m.put(k, v instanceof Double d && !Double.isFinite(d) ? null : v));
      maps.results().asMap().forEach((k, v) -> m.put(k, Double.isFinite(v) ? v : null));
      line = new com.google.gson.GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(m);
    }
    spec.commandLine().getOut().println(line);
    spec.commandLine().getOut().flush();
  }

  private void runBaseline(DirectoryDataset ds, List<DirectoryDataset.ImagePair> pairs, SaliencyMaps maps)
      throws Exception {
    switch (baseline) {
      case "centre-prior", "center-prior" -> {
        CenterPrior prior = CenterPrior.standard();
        for (DirectoryDataset.ImagePair pair : pairs) {
          ds.load(pair).ifPresent(li -> maps.add(li.name(), prior.map(li.mask().width(), li.mask().height()), li.mask()));
        }
      }
      case "selfie" -> {
        try (SelfieSegmenter selfie = SelfieSegmenter.open(saliency.model.tfjs.WeightsLocation.root(), threads)) {
          for (DirectoryDataset.ImagePair pair : pairs) {
            Optional<LabelledImage> li = ds.load(pair);
            if (li.isPresent()) {
              maps.add(li.get().name(), selfie.segment(li.get().image()), li.get().mask());
            }
          }
        }
      }
      default -> throw new IllegalArgumentException("--baseline must be centre-prior or selfie, got '" + baseline + "'");
    }
  }

  /**
   * Loads the run's {@code policy.ckpt} into {@code net}; a run stopped before writing it (killed) is read from its
   * learner slice checkpoints instead.
   */
  private void restoreWeights(RunFolder folder, PolicyNetwork net) throws IOException {
    if (RunPredictor.restoreWeights(folder, net)) {
      spec.commandLine().getErr().println("eval: " + folder.dir() + " has no " + RunFolder.POLICY
          + " (a stopped run): using its learner slice checkpoints");
      spec.commandLine().getErr().flush();
    }
  }

  /** What runs with the run's restored policy, its example encoder and an evaluator of {@code --samples}. */
  private interface PolicyUse {
    void run(PolicyNetwork net, ExampleEncoder encoder, Evaluator evaluator) throws Exception;
  }

  /**
   * Opens the run's policy (and its promptable segmenter for prompt answers) and hands them to {@code use}.
   *
   * @throws IllegalArgumentException for {@code --task cosod} with a run whose policy reads no group context
   */
  private void withPolicy(PolicyUse use) throws Exception {
    RunFolder folder = new RunFolder(run);
    TrainSettings s = folder.readSettings().withThreads(threads);
    if (task.trim().equalsIgnoreCase(Task.COSOD.name()) && s.encoding().groupContext() == 0) {
      throw new IllegalArgumentException("--task cosod: run " + run + " was trained without a group context (its "
          + "tasks: " + saliency.model.train.TaskFile.read(run) + "); train with --tasks including cosod");
    }
    PromptSegmenter segmenter = null;
    try (PolicyNetwork net = PolicyNetwork.create(s.policyConfig())) {
      restoreWeights(folder, net);
      ExampleEncoder encoder = new ExampleEncoder(s);
      if (s.promptAnswers()) {
        segmenter = PromptSegmenter.create(s.seed(), threads);
        SegmenterCheckpoint.load(folder.segmenterFile(), segmenter);
        encoder = encoder.withSegmenter(segmenter);
      }
      use.run(net, encoder, new Evaluator(encoder, samples));
    } finally {
      if (segmenter != null) {
        segmenter.close();
      }
    }
  }

  private void runPolicy(List<java.util.function.Supplier<Optional<LabelledImage>>> images, Task t, SaliencyMaps maps,
      InstanceMetrics instances) throws Exception {
    withPolicy((net, enc, evaluator) -> {
      TaskEvaluation instanceEval = new TaskEvaluation(enc, 1);
      List<Prepared> chunk = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        images.get(i).get().ifPresent(li -> chunk.add(enc.prepare(li, false, t)));
        if (chunk.size() == 32 || (i == images.size() - 1 && !chunk.isEmpty())) {
          evaluator.evaluate(net, chunk, 7 + i,
              (p, map) -> maps.add(p.original().name(), map, p.original().mask()));
          if (instances != null) {
            instanceEval.addInstances(net, chunk, 7 + i, instances);
          }
          chunk.clear();
        }
      }
    });
  }
}
