package saliency.model.train;

import java.util.List;
import java.util.Objects;
import saliency.model.data.LabelledImage;
import saliency.model.geometry.Mask;
import saliency.model.text.Task;
import saliency.model.text.Vocabulary;

/**
 * One example made ready for the policy: the original labelled image, its model-resolution input and mask, its SFT
 * target tokens (null when none could be built) and the task it is asked for; immutable by convention (arrays are not
 * copied).
 *
 * @param original the image and ground truth at their original size (metrics are taken there)
 * @param input the stretched model input, {@code (S, S, 3)} floats in [0,1]; with a policy that reads a group context,
 *     K such inputs, the example's own first ({@link saliency.model.policy.PolicyConfig#groupContext()})
 * @param modelMask the ground truth resized to {@code S x S} (rewards are taken there)
 * @param target SFT target ids ending with {@code <end>}, or null
 * @param segmenterInput with {@code prompt} answers, the image's 28x28x288 MobileNetV2 map (the promptable segmenter
 *     reads it with {@code input}, the 14x14x816 map); null otherwise
 * @param task the task the prompt asks for: its token is the decoder's first input, and it chooses the answer form
 *     (SIS: {@code <ins>} instances) and the reward
 * @param group for a CoSOD example, the name of its image group (its maps are measured with the group's); null
 *     otherwise
 */
public record Prepared(LabelledImage original, float[] input, Mask modelMask, int[] target, float[] segmenterInput,
    Task task, String group) {
  /** An example outside any image group. */
  public Prepared(LabelledImage original, float[] input, Mask modelMask, int[] target, float[] segmenterInput,
      Task task) {
    this(original, input, modelMask, target, segmenterInput, task, null);
  }

  /** An example without segmenter features (polygon answers), for SOD. */
  public Prepared(LabelledImage original, float[] input, Mask modelMask, int[] target) {
    this(original, input, modelMask, target, null, Task.SOD);
  }

  /** An SOD example. */
  public Prepared(LabelledImage original, float[] input, Mask modelMask, int[] target, float[] segmenterInput) {
    this(original, input, modelMask, target, segmenterInput, Task.SOD);
  }

  public Prepared {
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(modelMask, "modelMask");
    Objects.requireNonNull(task, "task");
  }

  /** The task prompt token of each example, in order (the decoder's first input). */
  public static int[] promptTokens(List<Prepared> examples) {
    int[] p = new int[examples.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = Vocabulary.taskToken(examples.get(i).task());
    }
    return p;
  }
}
