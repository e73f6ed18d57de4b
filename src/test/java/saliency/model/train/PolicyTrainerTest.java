package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.data.DataPosition;
import saliency.model.data.EpochIterator;
import saliency.model.data.SyntheticScenes;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;
import saliency.model.policy.PolicyNetwork;

/** The single-process trainer: its SFT learning-rate schedule, an SFT phase that learns, an RL phase's statistics. */
class PolicyTrainerTest {
  static final TrainSettings SETTINGS = withBudgets(TinySettings.of("calibrated", 3L));

  /** Budgets of 1000 s that 12 steps end first, SFT at rate 3e-3. */
  private static TrainSettings withBudgets(TrainSettings s) {
    return s.withSft(new TrainSettings.Sft(1000, 8, 3e-3)).withRlPhase(s.rlPhase().withSeconds(1000)).withMaxSteps(12);
  }

  record Step(String phase, long step, Map<String, Double> stats) {}

  @Test
  void sftLearningRateIsConstantByDefaultAndDecaysAlongAHalfCosineWhenAsked() {
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      PolicyTrainer t = new PolicyTrainer(SETTINGS, net, System::nanoTime, (p, s, e, b, st) -> { });
      assertEquals(3e-3, t.sftLearningRate(0), 0);
      assertEquals(3e-3, t.sftLearningRate(0.7), 0);
      t.withSftDecay(2e-4);
      assertEquals(3e-3, t.sftLearningRate(0), 1e-12);
      assertEquals((3e-3 + 2e-4) / 2, t.sftLearningRate(0.5), 1e-12);
      assertEquals(2e-4, t.sftLearningRate(1), 1e-12);
      assertEquals(2e-4, t.sftLearningRate(3), 1e-12); // clamped past the budget
      assertTrue(t.sftLearningRate(0.25) > t.sftLearningRate(0.5));
      assertThrows(IllegalArgumentException.class, () -> t.withSftDecay(1e-2));
      assertThrows(IllegalArgumentException.class, () -> t.withSftDecay(0));
    }
  }

  @Test
  void sftLowersItsLossAndRlReportsRewardsAndAdvantages() {
    List<Step> steps = new ArrayList<>();
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      // a clock that never moves: the budgets and the schedule follow max-steps alone
      PolicyTrainer t = new PolicyTrainer(SETTINGS, net, () -> 0L,
          (phase, step, elapsed, budget, stats) -> steps.add(new Step(phase, step, stats))).withSftDecay(1e-3);
      TrainingData data = TrainingData.synthetic(t.encoder(), 3L, 4, DataPosition.START);
      PolicyTrainer.PhaseResult sft = t.sft(data.train(), 1000);
      assertEquals(12, sft.steps());
      assertEquals(12 * 8, sft.samples());
      double first = steps.get(0).stats().get("loss");
      double last = steps.get(11).stats().get("loss");
      assertTrue(last < first, "SFT loss " + first + " -> " + last);
      assertEquals(3e-3, steps.get(0).stats().get("lr"), 1e-9); // the first step is taken at the initial rate
      assertEquals(1e-3 + 2e-3 * 0.5 * (1 + Math.cos(Math.PI * 11 / 12)), steps.get(11).stats().get("lr"), 1e-12);

      PolicyTrainer.PhaseResult rl = t.rl(data.train(), 1000);
      assertEquals(12, rl.steps());
      assertEquals("rl-cgpo", rl.phase());
      Map<String, Double> st = rl.last();
      for (String key : List.of("reward", "iou", "confidence", "positive", "format", "vertices", "loss")) {
        assertTrue(st.containsKey(key), key);
        assertTrue(Double.isFinite(st.get(key)), key + " = " + st.get(key));
      }
      assertTrue(st.get("positive") >= 0 && st.get("positive") <= 1);
      assertTrue(st.get("reward") >= 0 && st.get("reward") <= 1);
    }
  }

  @TempDir Path dir;

  /** A DUTS-layout folder of {@code n} images of {@code size x size} with a centred square; mask values 0/{@code on}. */
  private Path dutsFolder(int n, int size, int on) throws Exception {
    Path root = dir.resolve("duts-" + size + "-" + on);
    Files.createDirectories(root.resolve("images"));
    Files.createDirectories(root.resolve("masks"));
    for (int i = 0; i < n; i++) {
      ImageIo.writeRgb(root.resolve("images/img" + i + ".jpg"), new RgbImage(size, size, new float[size * size * 3]));
      BufferedImage m = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = size / 4; y < size - size / 4; y++) {
        for (int x = size / 4; x < size - size / 4; x++) {
          m.getRaster().setSample(x, y, 0, on);
        }
      }
      if (size == 1) {
        m.getRaster().setSample(0, 0, 0, on);
      }
      ImageIO.write(m, "png", root.resolve("masks/img" + i + ".png").toFile());
    }
    return root;
  }

  /** A clock that moves one second per reading, so a budget of a few seconds allows a few steps. */
  private static java.util.function.LongSupplier steppingClock() {
    AtomicLong t = new AtomicLong();
    return () -> t.getAndAdd(1_000_000_000L);
  }

  @Test
  void sftEndsWithAClearErrorWhenNoExampleYieldsATarget() {
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      PolicyTrainer t = new PolicyTrainer(SETTINGS, net, () -> 0L, (p, s, e, b, st) -> { });
      SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(1).withSize(32, 32));
      List<Prepared> noTargets = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        noTargets.add(t.encoder().prepare(scenes.get(i), false));
      }
      IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(
          IllegalStateException.class, () -> t.sft(new EpochIterator<>(noTargets, 1), 1000)));
      assertTrue(e.getMessage().contains(
          "no training example yields an SFT target polygon in a whole epoch of 3 examples"), e.getMessage());
    }
  }

  @Test
  void sftOnAFolderOfOneByOneImagesFailsInsteadOfHanging() throws Exception {
    Path root = dutsFolder(6, 1, 255);
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      PolicyTrainer t = new PolicyTrainer(SETTINGS, net, () -> 0L, (p, s, e, b, st) -> { });
      TrainingData data = TrainingData.directory(t.encoder(), root, 1L, 0, DataPosition.START);
      IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> assertThrows(IllegalStateException.class, () -> t.sft(data.train(), 1000)));
      assertTrue(e.getMessage().contains("no training example yields an SFT target polygon in a whole epoch of"),
          e.getMessage());
    }
  }

  @Test
  void sftTrainsOnAFolderWhoseMasksAreStoredAsZeroOne() throws Exception {
    Path root = dutsFolder(6, 32, 1);
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      PolicyTrainer t = new PolicyTrainer(SETTINGS, net, steppingClock(), (p, s, e, b, st) -> { });
      TrainingData data = TrainingData.directory(t.encoder(), root, 1L, 0, DataPosition.START);
      assertTrue(data.description().contains("0/1 masks"), data.description());
      PolicyTrainer.PhaseResult sft =
          assertTimeoutPreemptively(Duration.ofSeconds(60), () -> t.sft(data.train(), 3));
      assertTrue(sft.steps() >= 1, "steps " + sft.steps());
    }
  }

  @Test
  void sftValidationKeepsTheBestWeightsAndStopsWhenTheyStopImproving() {
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      // a stepping clock: one validation per step; the score peaks at the third check, then falls
      double[] scores = {0.1, 0.3, 0.5, 0.4, 0.35, 0.2, 0.1, 0.0};
      List<float[]> seen = new ArrayList<>();
      PolicyTrainer t = new PolicyTrainer(SETTINGS.withMaxSteps(0), net, steppingClock(), (p, s, e, b, st) -> { })
          .withValidation(new PolicyTrainer.Validation(n -> {
            seen.add(n.getFlatWeights());
            return scores[seen.size() - 1];
          }, 0.5, 3));
      TrainingData data = TrainingData.synthetic(t.encoder(), 3L, 2, DataPosition.START);
      PolicyTrainer.PhaseResult r = t.sft(data.train(), 1000);
      assertEquals(6, seen.size(), "stops after 3 checks without a gain");
      assertEquals(6, r.steps());
      assertEquals(0.5, r.last().get("validation_best"), 0);
      assertEquals(3, r.last().get("validation_best_step"), 0);
      assertTrue(java.util.Arrays.equals(seen.get(2), net.getFlatWeights()), "the best weights are restored");
      assertTrue(!java.util.Arrays.equals(seen.get(5), net.getFlatWeights()));
    }
  }
}
