package saliency.actors.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import saliency.model.image.BadInputException;

/**
 * The {@code saliency} command line: one subcommand per job; it holds only the global {@code --verbose} flag. An
 * error of a command prints one line {@code COMMAND: message} and exits 1 (see {@link #install}).
 */
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
      ScoreCommand.class,
      ExperimentCommand.class,
      EvalCommand.class,
      BenchMetricsCommand.class,
      BenchPolicyCommand.class,
      BenchEncoderCommand.class,
      BenchPipelineCommand.class,
      BenchCommand.class,
      VideoCommand.class,
      BenchVideoCommand.class,
      NodeCommand.class,
    })
public final class Main implements Runnable {
  /** The environment variable that, set to 1, turns on {@code --verbose}. */
  static final String VERBOSE_ENV = "SALIENCY_VERBOSE";

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "On an error, also print the Java stack trace (or set " + VERBOSE_ENV + "=1).")
  boolean verbose;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    // initialize logging on this thread before any actor system or library logs from another one: otherwise SLF4J
    // intercepts those first calls during its initialization and prints three replay warnings on every run
    org.slf4j.LoggerFactory.getILoggerFactory();
    System.exit(install(new CommandLine(new Main())).execute(args));
  }

  /**
   * Installs the error handling on {@code cl} (a command line of a {@link Main}) and returns it: an exception from a
   * command prints {@code COMMAND: message} to its error stream and exits 1 ({@code --verbose} or
   * {@code SALIENCY_VERBOSE=1}: and the stack trace); usage errors keep picocli's message and exit 2.
   */
  public static CommandLine install(CommandLine cl) {
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      PrintWriter err = cmd.getErr();
      err.println(cmd.getCommandName() + ": " + message(ex));
      if (verbose(parseResult) || "1".equals(System.getenv(VERBOSE_ENV))) {
        ex.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return cl;
  }

  /** Whether {@code --verbose} was given anywhere on the command line. */
  private static boolean verbose(ParseResult pr) {
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /**
   * One line for {@code ex}: past wrappers that add nothing, its message (the file of a file-system error that gives
   * only that), then the root cause's message when it adds to it; the class name where the message alone would not
   * say what went wrong.
   */
  static String message(Throwable ex) {
    Throwable t = ex;
    while (t.getCause() != null && t.getCause() != t && (isWrapper(t) || t.getMessage() == null
        || t.getMessage().equals(t.getCause().toString()))) {
      t = t.getCause();
    }
    String m = describe(t);
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != t) {
      String r = describe(root);
      if (!m.contains(r)) {
        m = m + ": " + r;
      }
    }
    return m.replace('\n', ' ').strip();
  }

  private static boolean isWrapper(Throwable t) {
    return t instanceof ExecutionException || t instanceof CompletionException
        || t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException
        || t instanceof CommandLine.ExecutionException;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    if (t instanceof FileSystemException f && f.getReason() == null && f.getOtherFile() == null) {
      String what = t instanceof NoSuchFileException ? "no such file"
          : t instanceof AccessDeniedException ? "access denied" : t.getClass().getSimpleName();
      return what + ": " + f.getFile();
    }
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    boolean plain = t instanceof java.io.IOException || t instanceof UncheckedIOException
        || t instanceof IllegalArgumentException || t instanceof IllegalStateException
        || t instanceof BadInputException;
    return plain ? m : t.getClass().getSimpleName() + ": " + m;
  }
}
