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
import saliency.model.train.Evaluator;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.RunFolder;
import saliency.model.train.SaliencyMaps;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;

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

  @Option(names = "--data", required = true, description = "DUTS-layout folder (images/, masks/)")
  Path data;

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
    DirectoryDataset ds = DirectoryDataset.scan(data);
    List<DirectoryDataset.ImagePair> pairs = switch (split) {
      case "all" -> ds.pairs();
      case "held-out" -> ds.split(DirectoryDataset.DEFAULT_HELD_OUT, TrainingData.SPLIT_SEED).heldOut();
      case "train" -> ds.split(DirectoryDataset.DEFAULT_HELD_OUT, TrainingData.SPLIT_SEED).train();
      case "validation" -> ds.split(DirectoryDataset.DEFAULT_HELD_OUT, TrainingData.SPLIT_SEED).train().stream()
          .filter(p -> TrainingData.inValidation(p.name(), saliency.actors.train.TrainRun.VALIDATION_SHARE)).toList();
      default -> throw new IllegalArgumentException("--split must be all, held-out, train or validation, got '"
          + split + "'");
    };
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      throw new IOException("--out " + out + " is a file, not a folder");
    }
    SaliencyMaps maps = new SaliencyMaps(out);
    if (baseline != null) {
      runBaseline(ds, pairs, maps);
    } else {
      runPolicy(ds, pairs, maps);
    }
    if (maps.count() == 0) { // --out is created by the first map written, so it does not exist here unless it did
      throw new IOException("no image could be evaluated in " + data + " (" + pairs.size() + " pairs in the "
          + split + " split; " + ds.report().summary() + ")");
    }
    if (!ds.report().skips().isEmpty()) {
      spec.commandLine().getErr().println("eval: " + ds.report().summary());
      spec.commandLine().getErr().flush();
    }
    spec.commandLine().getOut().println(maps.results().toJson());
    spec.commandLine().getOut().flush();
    return 0;
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

  private void runPolicy(DirectoryDataset ds, List<DirectoryDataset.ImagePair> pairs, SaliencyMaps maps) throws Exception {
    RunFolder folder = new RunFolder(run);
    TrainSettings s = folder.readSettings().withThreads(threads);
    PromptSegmenter segmenter = null;
    try (PolicyNetwork net = PolicyNetwork.create(s.policyConfig())) {
      restoreWeights(folder, net);
      ExampleEncoder encoder = new ExampleEncoder(s);
      if (s.promptAnswers()) {
        segmenter = PromptSegmenter.create(s.seed(), threads);
        SegmenterCheckpoint.load(folder.segmenterFile(), segmenter);
        encoder = encoder.withSegmenter(segmenter);
      }
      ExampleEncoder enc = encoder;
      Evaluator evaluator = new Evaluator(encoder, samples);
      List<Prepared> chunk = new ArrayList<>();
      for (int i = 0; i < pairs.size(); i++) {
        ds.load(pairs.get(i)).ifPresent(li -> chunk.add(enc.prepare(li, false)));
        if (chunk.size() == 32 || (i == pairs.size() - 1 && !chunk.isEmpty())) {
          evaluator.evaluate(net, chunk, 7 + i,
              (p, map) -> maps.add(p.original().name(), map, p.original().mask()));
          chunk.clear();
        }
      }
    } finally {
      if (segmenter != null) {
        segmenter.close();
      }
    }
  }
}
