package saliency.actors.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import saliency.actors.train.ModelStages;
import saliency.model.data.SyntheticScenes;
import saliency.model.policy.PolicyNetwork;
import saliency.model.text.Task;
import saliency.model.text.Vocabulary;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.TrainingData;
import saliency.streams.Completion;
import saliency.streams.Reward;

/**
 * The pipeline's model side asks each example for its own task: the backend's samples and scores take the example's
 * task token, and the reward stage scores an SIS example's {@code <ins>} answer by matched instances.
 */
class TaskPromptBackendTest {

  @Test
  void theBackendPromptsEachExampleWithItsTaskAndTheRewardStageMatchesInstances() {
    ExampleEncoder encoder = new ExampleEncoder(TfPolicyBackendTest.SETTINGS);
    SyntheticScenes sod = TrainingData.syntheticScenes(Task.SOD, 4L, 32);
    SyntheticScenes sis = TrainingData.syntheticScenes(Task.SIS, 4L, 32);
    Prepared a = encoder.prepare(sod.get(0), true, Task.SOD);
    Prepared b = encoder.prepare(sis.get(0), true, Task.SIS);
    for (int i = 1; b.target() == null && i < 20; i++) {
      b = encoder.prepare(sis.get(i), true, Task.SIS);
    }
    assertTrue(b.target() != null && a.target() != null, "scenes with SFT targets");
    Prepared sisExample = b;
    List<Prepared> inputs = List.of(a, sisExample);
    try (PolicyNetwork reference = PolicyNetwork.create(TfPolicyBackendTest.TINY)) {
      TfPolicyBackend backend = new TfPolicyBackend(PolicyNetwork.create(TfPolicyBackendTest.TINY),
          encoder.tokenizer().vocabulary(),
          new TfPolicyBackend.Settings(1.0, true, 9L, TfPolicyBackendTest.SETTINGS.rl().algorithm()));
      try (backend) {
        float[] images = ExampleEncoder.stack(inputs);
        float[] byTask = reference.predictConfidence(images, 2, new int[] {Vocabulary.SOD, Vocabulary.SIS});
        float[] allSod = reference.predictConfidence(images, 2, new int[] {Vocabulary.SOD, Vocabulary.SOD});
        assertTrue(Math.abs(byTask[1] - allSod[1]) > 1e-7, "the head reads the task token");
        List<List<Completion>> out = backend.sampleBatch(inputs, 2);
        for (int i = 0; i < 2; i++) {
          for (Completion c : out.get(i)) {
            assertEquals(byTask[i], c.predictedReward(), 1e-5, "example " + i + " sampled under its own task token");
          }
        }
        int[][] target = {sisExample.target()};
        float[] expected = reference.score(ExampleEncoder.stack(List.of(sisExample)), 1, new int[] {Vocabulary.SIS},
            target).tokenLogp()[0];
        assertArrayEquals(expected, backend.score(sisExample, target)[0], 1e-5f);
      }
    }
    // the SIS target as a completion: the reward stage matches its instances one to one
    Completion c = new Completion(b.target(), "", new float[b.target().length], Double.NaN);
    ModelStages.Segmentation seg = ModelStages.segmenter(encoder).segment(b, c);
    Reward r = ModelStages.reward(TfPolicyBackendTest.SETTINGS.rewardWeights()).reward(b, c, seg);
    assertEquals(1.0, r.parts().get("format"), 0);
    assertTrue(r.parts().get("iou") > 0.3, "matched instance IoU of the target " + r.parts());
    Completion asRegion = new Completion(a.target(), "", new float[a.target().length], Double.NaN);
    Reward wrongForm = ModelStages.reward(TfPolicyBackendTest.SETTINGS.rewardWeights())
        .reward(b, asRegion, ModelStages.segmenter(encoder).segment(b, asRegion));
    assertEquals(0.0, wrongForm.parts().get("format"), 0, "a region answer to an SIS prompt has the wrong format");
  }
}
