package saliency.actors.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import saliency.actors.policy.PolicyActorClient;
import saliency.model.data.LabelledImage;
import saliency.model.train.Prepared;
import saliency.model.video.VideoFrame;
import saliency.streams.Sampled;
import saliency.streams.video.FrameAnswer;
import saliency.streams.video.FramePredictor;

/**
 * Answers video frames through policy actors: prepares a batch of consecutive frames on a CPU executor (the resized
 * pixels, or their frozen features in one call), asks a policy actor for their greedy completions in one call, and
 * parses them; each answer's map is drawn where it is first used (not at all when only the answers are written), and
 * every answer carries the policy version that gave it. Holds the run's
 * encoder (through its {@link RunPredictor}), the client and the executor; no per-stream state, so calls may overlap
 * (the policy actor takes one call at a time, preparing the next batch overlaps it).
 */
public final class PolicyFramePredictor implements FramePredictor {
  private final RunPredictor run;
  private final PolicyActorClient<Prepared> policy;
  private final Executor cpu;
  private final Function<VideoFrame, LabelledImage> label;

  /**
   * Frames labelled by {@code label} (an unlabelled frame gets an empty mask), prepared with {@code run}'s encoder on
   * {@code cpu}, answered by {@code policy}; maps are drawn by {@code run} where they are first used.
   */
  public PolicyFramePredictor(RunPredictor run, PolicyActorClient<Prepared> policy, Executor cpu,
      Function<VideoFrame, LabelledImage> label) {
    this.run = Objects.requireNonNull(run, "run");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.cpu = Objects.requireNonNull(cpu, "cpu");
    this.label = Objects.requireNonNull(label, "label");
  }

  @Override
  public CompletionStage<FrameAnswer> predict(VideoFrame frame) {
    return predictBatch(List.of(frame)).thenApply(list -> list.get(0));
  }

  @Override
  public CompletionStage<List<FrameAnswer>> predictBatch(List<VideoFrame> frames) {
    List<VideoFrame> batch = List.copyOf(frames);
    return CompletableFuture.supplyAsync(() -> prepare(batch), cpu)
        .thenCompose(prepared -> policy.greedyBatch(prepared).thenApply(answers -> answers(prepared, answers)));
  }

  /** The frames' policy inputs, in order. */
  public List<Prepared> prepare(List<VideoFrame> frames) {
    List<LabelledImage> images = new ArrayList<>(frames.size());
    for (VideoFrame f : frames) {
      images.add(label.apply(f));
    }
    return run.prepare(images);
  }

  private List<FrameAnswer> answers(List<Prepared> prepared, List<Sampled> answers) {
    if (answers.size() != prepared.size()) {
      throw new IllegalStateException("policy answered " + answers.size() + " of " + prepared.size() + " frames");
    }
    List<FrameAnswer> out = new ArrayList<>(prepared.size());
    for (int i = 0; i < prepared.size(); i++) {
      Sampled s = answers.get(i);
      int[] tokens = s.completions().get(0).tokens();
      long version = s.version().min();
      out.add(run.answer(prepared.get(i), tokens, version));
    }
    return out;
  }
}
