package saliency.streams;

import java.util.concurrent.CompletionStage;

/**
 * How the training graph hands gradients to the learner; the returned stage completes when the learner has taken
 * (accepted, dropped or rejected) the gradient, which is what backpressures the graph.
 */
public interface LearnerClient {
  CompletionStage<SubmitResult> submit(Gradient gradient);
}
