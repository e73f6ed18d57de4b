package saliency.actors.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import saliency.model.data.Augmentation;
import saliency.model.data.DataPosition;
import saliency.model.metrics.SodResults;
import saliency.model.reward.RewardWeights;
import saliency.model.segment.PromptSegmenter;
import saliency.model.segment.SegmenterCheckpoint;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.RunFolder;
import saliency.model.train.SegmenterTrainer;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;

/**
 * {@code train-segmenter}: supervised training of the promptable segmenter on a DUTS-layout folder's training split
 * with prompts sampled from the ground truth; writes {@code segmenter.ckpt} and prints held-out figures with
 * ground-truth prompts and without any. Holds only its options.
 */
@Command(name = "train-segmenter", mixinStandardHelpOptions = true,
    description = "Train the promptable segmenter (box and point prompts over frozen MobileNetV2 features) with "
        + "supervision; writes segmenter.ckpt and prints held-out S-measure, MAE and max-F.")
final class TrainSegmenterCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "DUTS-layout folder (images/, masks/)")
  Path data;

  @Option(names = "--out", required = true, description = "folder for segmenter.ckpt")
  Path out;

  @Option(names = "--seconds", defaultValue = "90", description = "training wall clock (default ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--seed", defaultValue = "1", description = "seed of weights, order and prompts")
  long seed;

  @Option(names = "--threads", defaultValue = "2", description = "TensorFlow intra-op threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--no-flip", description = "do not mirror half the training examples")
  boolean noFlip;

  @Option(names = "--augment-views", defaultValue = "0", description = "augmented views made per training image "
      + "(crops and copy-paste composites, mirrored and colour-jittered); 0 turns augmentation off (default "
      + "${DEFAULT-VALUE})")
  int augmentViews;

  @Option(names = "--copy-paste", defaultValue = "0", description = "share of the views that are copy-paste "
      + "composites (default ${DEFAULT-VALUE})")
  double copyPaste;

  @Override
  public Integer call() throws Exception {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("--seconds must be > 0, got " + seconds);
    }
    TrainSettings s = TrainSettings.defaults().withEncoding(TrainSettings.Encoding.prompts())
        .withRewardWeights(RewardWeights.segR1().normalized()).withSeed(seed);
    ExampleEncoder encoder = new ExampleEncoder(s);
    long t0 = System.nanoTime();
    Augmentation.Settings d = Augmentation.Settings.defaults();
    Augmentation.Settings augment = d.with(augmentViews, d.share(), copyPaste);
    TrainingData td = TrainingData.directory(encoder, data, seed, 0, DataPosition.START, 0, augment);
    System.out.printf(Locale.ROOT, "data: %s (features in %.1f s)%nviews: %s%n", td.description(),
        (System.nanoTime() - t0) / 1e9, td.views().summary());
    try (PromptSegmenter seg = PromptSegmenter.create(seed, threads)) {
      SegmenterTrainer.Settings st = SegmenterTrainer.Settings.defaults(seed);
      st = new SegmenterTrainer.Settings(st.batch(), st.learningRate(), st.jitter(), st.unprompted(), !noFlip, seed);
      SegmenterTrainer.Result r = new SegmenterTrainer(seg, st, System::nanoTime, new TrainCommand.BarListener())
          .train(td.trainExamples(), td.views(), seconds, 0);
      TrainCommand.BarListener.close();
      System.out.printf(Locale.ROOT, "segmenter: %d steps, %d samples, %.1f s, last loss %.4f%nviews: %s%n",
          r.steps(), r.samples(), r.seconds(), r.lastLoss(), td.views().summary());
      Path file = new RunFolder(out).segmenterFile();
      SegmenterCheckpoint.save(seg, file);
      ExampleEncoder withSeg = encoder.withSegmenter(seg);
      print("held-out, ground-truth prompts", SegmenterTrainer.evaluate(withSeg, td.heldOut(), true));
      print("held-out, no prompt", SegmenterTrainer.evaluate(withSeg, td.heldOut(), false));
      System.out.println("wrote " + file);
    }
    return 0;
  }

  private static void print(String what, SodResults r) {
    System.out.printf(Locale.ROOT, "  %s: S-measure %.3f, MAE %.3f, max-F %.3f%n", what, r.sMeasure(), r.mae(),
        r.maxFm());
  }
}
