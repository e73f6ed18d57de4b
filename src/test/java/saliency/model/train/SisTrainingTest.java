package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import saliency.model.data.DataPosition;
import saliency.model.geometry.Mask;
import saliency.model.metrics.instance.InstanceResults;
import saliency.model.policy.PolicyNetwork;
import saliency.model.reward.RewardBreakdown;
import saliency.model.reward.RewardWeights;
import saliency.model.text.Answer;
import saliency.model.text.InstanceOrder;
import saliency.model.text.ParseResult;
import saliency.model.text.Task;
import saliency.model.text.Vocabulary;

/**
 * SIS training: instance scenes, {@code <sis>} prompts, SFT targets with one {@code <ins>} per instance in
 * {@link InstanceOrder}, the Hungarian instance reward, and a tiny SFT + CGPO run evaluated with AP.
 */
class SisTrainingTest {
  /** 64x64, 64 bins, the default vertex and length limits, so that a target holds two or three instances. */
  static final TrainSettings SETTINGS = TrainSettings.defaults().withMaxSteps(3).withEval(new TrainSettings.Eval(6, 2)).withSeed(5L);

  @Test
  void sisScenesGiveInstanceTargetsInInstanceOrderAndTheSisPrompt() {
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      ExampleEncoder enc = new PolicyTrainer(SETTINGS, net, () -> 0L, (p, s, e, b, st) -> { }).encoder();
      TrainingData data = TrainingData.synthetic(enc, 5L, 3, DataPosition.START, TaskMix.single(Task.SIS));
      assertEquals(3, data.heldOut().size());
      int checked = 0;
      for (int i = 0; i < 20; i++) {
        Prepared p = data.train().next();
        assertEquals(Task.SIS, p.task());
        assertArrayEquals(new int[] {Vocabulary.SIS}, Prepared.promptTokens(List.of(p)));
        List<Mask> truth = p.original().instances();
        assertTrue(truth.size() >= 2 && truth.size() <= 3, "instances " + truth.size());
        if (p.target() == null) {
          continue;
        }
        ParseResult r = enc.decode(p.target());
        assertTrue(r.formatOk(), "target of " + p.original().name() + " is well formed");
        Answer.Instances in = (Answer.Instances) ((ParseResult.Parsed) r).answer();
        assertEquals(truth.size(), in.instances().size(), "every instance fits in max-len: " + p.original().name());
        // listed largest first: each target polygon overlaps most the instance of the same rank in InstanceOrder
        List<Mask> ordered = InstanceOrder.sorted(truth);
        List<Mask> drawn = TaskRewards.instances(r, 64, 64);
        for (int k = 0; k < drawn.size(); k++) {
          int best = -1;
          double bestIou = -1;
          for (int g = 0; g < ordered.size(); g++) {
            double iou = drawn.get(k).iou(ordered.get(g));
            if (iou > bestIou) {
              bestIou = iou;
              best = g;
            }
          }
          assertEquals(k, best, "instance " + k + " of " + p.original().name());
        }
        // the target itself earns a high instance reward; the same polygons as one region answer earn no format
        TaskRewards rewards = new TaskRewards(RewardWeights.defaults());
        RewardBreakdown b = rewards.score(p, r, ExampleEncoder.render(r, 64, 64));
        assertTrue(b.iou() > 0.6, "matched IoU of the target " + b.iou());
        assertEquals(1.0, b.format(), 0);
        ParseResult region = new ParseResult.Parsed(new Answer.Region(in.instances()));
        RewardBreakdown asRegion = rewards.score(p, region, ExampleEncoder.render(region, 64, 64));
        assertEquals(0.0, asRegion.format(), 0);
        assertEquals(0.0, asRegion.iou(), 0);
        checked++;
      }
      assertTrue(checked >= 15, "targets built for " + checked + " of 20 scenes");
    }
  }

  @Test
  void instanceRewardMatchesOneToOneAndCountsMissedInstances() {
    Mask a = rect(4, 4, 20, 20);
    Mask b = rect(40, 40, 60, 60);
    Prepared p = new Prepared(new saliency.model.data.LabelledImage("two", new saliency.model.image.RgbImage(64, 64,
        new float[64 * 64 * 3]), union(a, b), List.of(a, b)), new float[1], union(a, b), null, null, Task.SIS);
    TaskRewards rewards = new TaskRewards(RewardWeights.defaults());
    // one exact instance of two: mean matched IoU (1 + 0) / 2
    ParseResult one = new ParseResult.Parsed(new Answer.Instances(List.of(square(4, 4, 20, 20))));
    assertEquals(0.5, rewards.score(p, one, new Mask(64, 64)).iou(), 1e-9);
    // both, in either order
    ParseResult both = new ParseResult.Parsed(new Answer.Instances(List.of(square(40, 40, 60, 60), square(4, 4, 20, 20))));
    assertEquals(1.0, rewards.score(p, both, new Mask(64, 64)).iou(), 1e-9);
    // a failed parse: no instance, no format
    RewardBreakdown failed = rewards.score(p, new ParseResult.Failed("x", 0), new Mask(64, 64));
    assertEquals(0.0, failed.iou(), 0);
    assertEquals(0.0, failed.format(), 0);
  }

  @Test
  void aTinySisRunTrainsThroughSftAndCgpoAndReportsApFigures() {
    List<Map<String, Double>> rl = new ArrayList<>();
    try (PolicyNetwork net = PolicyNetwork.create(SETTINGS.policyConfig())) {
      PolicyTrainer t = new PolicyTrainer(SETTINGS, net, () -> 0L, (phase, step, e, b, st) -> {
        if (phase.startsWith("rl")) {
          rl.add(st);
        }
      });
      TrainingData data = TrainingData.synthetic(t.encoder(), 5L, 6, DataPosition.START, TaskMix.single(Task.SIS));
      assertEquals(3, t.sft(data.train(), 1000).steps());
      t.freezeReference();
      assertEquals(3, t.rl(data.train(), 1000).steps());
      assertEquals(3, rl.size());
      for (Map<String, Double> st : rl) {
        assertEquals(st.get("reward"), st.get("reward_sis"), 1e-12, "an all-SIS batch: its task mean is the mean");
        assertTrue(st.get("reward") >= 0 && st.get("reward") <= 1);
      }
      Map<Task, TaskScores> scores = new TaskEvaluation(t.encoder(), 1).evaluate(net, data.heldOut(), 7);
      assertEquals(List.of(Task.SIS), List.copyOf(scores.keySet()));
      InstanceResults in = scores.get(Task.SIS).instances();
      assertEquals(6, in.images());
      int truths = data.heldOut().stream().mapToInt(p -> p.original().instances().size()).sum();
      assertEquals(truths, in.truths());
      assertTrue(in.ap50() >= 0 && in.ap50() <= 1 && in.ap() <= in.ap50() + 1e-12, in.toString());
      assertTrue(in.meanMatchedIou() >= 0 && in.meanMatchedIou() <= 1);
      assertFalse(scores.get(Task.SIS).toString().isEmpty());
    }
  }

  @Test
  void instanceConfidencesAreTheMeanProbabilityOfEachSpan() {
    int c = Vocabulary.FIRST_COORD;
    int[] tokens = {Vocabulary.INS_OPEN, c, c, Vocabulary.INS_CLOSE, Vocabulary.INS_OPEN, c, Vocabulary.INS_CLOSE,
        Vocabulary.END, Vocabulary.INS_OPEN};
    float[] logp = {0, (float) Math.log(0.5), (float) Math.log(0.5), 0, (float) Math.log(0.25), 0, 0, 0, -9};
    double[] conf = TaskEvaluation.confidences(tokens, logp, 2);
    assertEquals(Math.exp(2 * Math.log(0.5) / 4), conf[0], 1e-6);
    assertEquals(Math.exp(Math.log(0.25) / 3), conf[1], 1e-6);
    // spans and parsed instances differ in number: ranks instead
    assertArrayEquals(new double[] {1, 0.5, 1 / 3.0}, TaskEvaluation.confidences(tokens, logp, 3), 1e-12);
  }

  static Mask rect(int x0, int y0, int x1, int y1) {
    Mask m = new Mask(64, 64);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        m.set(x, y, true);
      }
    }
    return m;
  }

  static Mask union(Mask a, Mask b) {
    Mask u = new Mask(64, 64);
    u.orInPlace(a);
    u.orInPlace(b);
    return u;
  }

  /** The clockwise square polygon (normalized) over pixels [x0, x1) x [y0, y1) of a 64x64 image. */
  static saliency.model.geometry.Polygon square(int x0, int y0, int x1, int y1) {
    double s = 64;
    return new saliency.model.geometry.Polygon(new double[] {x0 / s, x1 / s, x1 / s, x0 / s},
        new double[] {y0 / s, y0 / s, y1 / s, y1 / s});
  }
}
