package saliency.actors.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.actors.policy.TfPolicyBackend;
import saliency.actors.settings.SaliencySettings;
import saliency.model.data.SyntheticScenes;
import saliency.model.policy.PolicyConfig;
import saliency.model.policy.PolicyNetwork;
import saliency.model.policy.confidence.ConfidenceInput;
import saliency.model.policy.confidence.SeqProbConfidence;
import saliency.model.rl.AdvantageResult;
import saliency.model.rl.Algorithm;
import saliency.model.rl.AlgorithmName;
import saliency.model.rl.RlSettings;
import saliency.model.rl.Scored;
import saliency.model.text.Vocabulary;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.RlGradient;
import saliency.model.train.TinySettings;
import saliency.model.train.TrainSettings;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.GradientResult;
import saliency.streams.PolicyVersion;
import saliency.streams.Reward;
import saliency.streams.Sample;

/**
 * The pipeline of {@code train} and the single-process trainer of {@code experiment} run one algorithm: the same RL
 * settings reach both, the pipeline's advantage stage gives the algorithm's advantages, and the policy backend's
 * gradient is the trainer's, KL and SFT anchor included.
 */
class SameAlgorithmTest {
  static final PolicyConfig TINY = new PolicyConfig(32, Vocabulary.FIRST_COORD + 16, 20, List.of(8, 16), 24, 8, 8,
      8, "/CPU:0", 1, 1, 3L, Vocabulary.PAD, Vocabulary.END, false);
  static final PolicyVersion V = new PolicyVersion(new long[] {1});

  /** Training settings whose RL settings differ from the defaults in every loss term. */
  static TrainSettings settings(AlgorithmName algo) {
    TrainSettings base = TinySettings.of("seqprob", 3L);
    return base.withRl(
        base.rl().withAlgo(algo, "seqprob").withGroupSize(2).withWeights(0.05, 0.5).withAnchor(0.5, true));
  }

  @Test
  void thePipelineNodeReadsTheRlSettingsTheTrainerReads(@TempDir Path dir) {
    for (AlgorithmName algo : AlgorithmName.values()) {
      TrainSettings s = settings(algo);
      RlSettings node = SaliencySettings.fromConfig(OnlineTraining.nodeConfig(ConfigFactory.load(), s, dir)).rl();
      assertEquals(s.rl(), node, algo.configName());
      Algorithm trainer = s.rl().algorithm();
      Algorithm pipeline = node.algorithm();
      assertEquals(trainer.loss(), pipeline.loss(), algo.configName());
      assertEquals(0.05, pipeline.loss().klBeta());
      assertEquals(0.5, pipeline.sftAnchor());
      assertEquals(trainer.completionsPerPrompt(), pipeline.completionsPerPrompt());
      assertEquals(trainer.unit(), pipeline.unit());
    }
  }

  @Test
  void theAdvantageStageGivesTheAlgorithmsAdvantages() {
    Prepared x = new ExampleEncoder(settings(AlgorithmName.CGPO)).prepare(
        new SyntheticScenes(SyntheticScenes.Settings.defaults(4L).withSize(32, 32)).next(), false);
    // two completions of prompt 7 with mean token log-probabilities -0.5 and -1.0, rewards 0.9 and 0.2
    List<Sample<Prepared, ModelStages.Segmentation>> unit = List.of(
        sample(x, 0, new float[] {-0.5f, -0.5f}, 0.9), sample(x, 1, new float[] {-1.0f, -1.0f, -1.0f}, 0.2));

    // GRPO: rewards 0.9, 0.2: mean 0.55, std 0.35, A = +-0.35 / 0.3501 = +-0.99971437
    List<Sample<Prepared, ModelStages.Segmentation>> grpo =
        ModelStages.advantage(settings(AlgorithmName.GRPO).rl().algorithm(), new RunMeter()).estimate(unit);
    assertEquals(0.99971437, grpo.get(0).advantage(), 1e-8);
    assertEquals(-0.99971437, grpo.get(1).advantage(), 1e-8);

    // CGPO with seqprob confidence: the trainer's estimator gives c from the mean log-probability, A = r - c
    Algorithm cgpo = settings(AlgorithmName.CGPO).rl().algorithm();
    double[] c = new SeqProbConfidence().confidences(
        new ConfidenceInput(new float[0], 2, new int[] {Vocabulary.SOD, Vocabulary.SOD}, new float[] {-0.5f, -1f}));
    AdvantageResult trainer = cgpo.advantages(List.of(Scored.of("7", 0.9, c[0]), Scored.of("7", 0.2, c[1])));
    List<Sample<Prepared, ModelStages.Segmentation>> pipeline = new ArrayList<>();
    ModelStages.advantage(cgpo, new RunMeter()).estimate(List.of(unit.get(0))).forEach(pipeline::add);
    ModelStages.advantage(cgpo, new RunMeter()).estimate(List.of(unit.get(1))).forEach(pipeline::add);
    for (int i = 0; i < 2; i++) {
      assertEquals(trainer.advantage(i), pipeline.get(i).advantage(), 1e-6);
      assertEquals(c[i], pipeline.get(i).confidence(), 1e-6);
    }
    assertEquals(0.9 - Math.exp(-0.5), trainer.advantage(0), 1e-6);
  }

  private static Sample<Prepared, ModelStages.Segmentation> sample(Prepared x, int index, float[] logp, double r) {
    int[] tokens = new int[logp.length];
    java.util.Arrays.fill(tokens, Vocabulary.END);
    return Sample.<Prepared, ModelStages.Segmentation>sampled(7, index, 2, x, new Completion(tokens, "", logp), V)
        .withReward(Reward.of(r));
  }

  @Test
  void theBackendsGradientIsTheTrainersWithKlAndAnchor() {
    TrainSettings s = settings(AlgorithmName.GRPO);
    Algorithm algorithm = s.rl().algorithm();
    ExampleEncoder encoder = new ExampleEncoder(s);
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(6L).withSize(32, 32));
    Prepared a = encoder.prepare(scenes.next(), true);
    Prepared b = encoder.prepare(scenes.next(), true);
    try (PolicyNetwork trainerNet = PolicyNetwork.create(TINY);
        TfPolicyBackend backend = new TfPolicyBackend(PolicyNetwork.create(TINY), encoder.tokenizer().vocabulary(),
            new TfPolicyBackend.Settings(1.0, false, 9L, algorithm))) {
      float[] start = backend.flatWeights();
      List<List<Completion>> out = backend.sampleBatch(List.of(a, b), 2);
      // the learner moves the weights away from where RL started, so the KL term to the start has a gradient
      float[] moved = start.clone();
      for (int i = 0; i < moved.length; i++) {
        moved[i] += 0.05f * (float) Math.sin(i);
      }
      backend.setSlice(0, moved);
      trainerNet.setFlatWeights(moved);

      List<GradientExample<Prepared>> batch = new ArrayList<>();
      List<Prepared> examples = List.of(a, a, b, b);
      int[][] tokens = new int[4][];
      float[][] old = new float[4][];
      float[] adv = {0.7f, -0.7f, 0.3f, -0.3f};
      float[] rewards = {0.8f, 0.1f, 0.5f, 0.4f};
      for (int i = 0; i < 4; i++) {
        Completion c = out.get(i / 2).get(i % 2);
        tokens[i] = c.tokens();
        old[i] = c.tokenLogProbs();
        batch.add(new GradientExample<>(examples.get(i), tokens[i], adv[i], old[i], rewards[i]));
      }
      GradientResult piped = backend.gradients(batch);
      PolicyNetwork.Gradients direct = new RlGradient(algorithm, trainerNet, start)
          .compute(examples, ExampleEncoder.stack(examples), tokens, adv, rewards, old);
      assertArrayEquals(direct.flat(), piped.gradient(), 1e-6f);
      assertEquals(direct.loss(), piped.loss(), 1e-6);
      assertTrue(direct.klLoss() > 0, "the KL term is in the loss: " + direct.klLoss());

      // without KL and anchor (the pipeline's loss before both drivers shared the algorithm) the gradient differs
      Algorithm plain = s.rl().withWeights(0, 0.5).withAnchor(0, true).algorithm();
      float[] without = new RlGradient(plain, trainerNet, null)
          .compute(examples, ExampleEncoder.stack(examples), tokens, adv, rewards, old).flat();
      double diff = 0;
      for (int i = 0; i < without.length; i++) {
        diff += Math.abs(without[i] - piped.gradient()[i]);
      }
      assertTrue(diff > 1e-3, "KL and anchor change the gradient: " + diff);
    }
  }
}
