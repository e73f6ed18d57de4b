package saliency.actors.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code saliency} command line: one subcommand per job; it holds no state. */
@Command(
    name = "saliency",
    mixinStandardHelpOptions = true,
    version = "saliency 0.1.0",
    description = "Online RL training and serving of saliency segmentation policies.",
    subcommands = {
      CommandLine.HelpCommand.class,
      BenchGeometryCommand.class,
      MetricsCommand.class,
      TrainCommand.class,
      TrainSegmenterCommand.class,
      ExperimentCommand.class,
      EvalCommand.class,
      BenchMetricsCommand.class,
      BenchPolicyCommand.class,
      BenchEncoderCommand.class,
      BenchPipelineCommand.class,
    })
public final class Main implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
