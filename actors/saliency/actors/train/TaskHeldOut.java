package saliency.actors.train;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import saliency.model.policy.PolicyNetwork;
import saliency.model.report.RunReporter;
import saliency.model.text.Task;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.TaskEvaluation;
import saliency.model.train.TaskMix;
import saliency.model.train.TaskScores;
import saliency.model.train.TrainSettings;

/** Per-task held-out figures of a run that trains other tasks than SOD: logged and written as rows; stateless. */
final class TaskHeldOut {
  private TaskHeldOut() {}

  /**
   * Evaluates {@code net} per task on {@code heldOut}, logs one line per task and writes each task's figures into
   * {@code metrics.csv} (kind {@code heldout-TASK}); does nothing for an SOD-only run (the plain held-out row says it).
   */
  static void report(String when, TaskMix tasks, ExampleEncoder encoder, TrainSettings s, PolicyNetwork net,
      List<Prepared> heldOut, RunReporter reporter, long samples, Consumer<String> log) {
    if (tasks.sodOnly() || heldOut.isEmpty()) {
      return;
    }
    Map<Task, TaskScores> scores = new TaskEvaluation(encoder, s.eval().samples()).evaluate(net, heldOut, 7);
    for (TaskScores sc : scores.values()) {
      log.accept("  " + when + ", " + sc);
      reporter.heldOutTask(samples, sc.task().name().toLowerCase(Locale.ROOT), sc.figures());
    }
  }
}
