package saliency.actors.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code train} command run as it is run by hand, in a child JVM on this program's class path, with its defaults
 * on synthetic scenes and a short budget; its figures are read from the lines it prints. Stateless.
 */
final class TrainProcess {
  private static final Pattern RL = Pattern.compile(
      "^rl-(\\S+): (\\d+) samples trained in ([0-9.]+) s \\(([0-9.]+) samples/s\\)");
  private static final Pattern AFTER_SFT = Pattern.compile("held-out after SFT: greedy IoU ([0-9.]+)");
  private static final Pattern AFTER_RL = Pattern.compile("^\\s*held-out after [A-Z+]+: greedy IoU ([0-9.]+)");

  private TrainProcess() {}

  /**
   * What {@code train} printed.
   *
   * @param command the command line run (class path left out)
   * @param algorithm the RL algorithm it ran
   * @param samples samples trained in RL
   * @param seconds RL wall clock
   * @param samplesPerSecond RL samples/s as it printed them
   * @param iouAfterSft held-out greedy IoU after SFT (NaN when not printed)
   * @param iouAfterRl held-out greedy IoU after RL (NaN when not printed)
   */
  record Result(String command, String algorithm, long samples, double seconds, double samplesPerSecond,
      double iouAfterSft, double iouAfterRl) {}

  /**
   * Runs {@code train --minutes MINUTES --sft-seconds SFT --eval-images N --seed SEED} in a child JVM with a temporary
   * run folder (removed afterwards), echoing its lines to {@code echo}.
   */
  static Result run(double minutes, double sftSeconds, int evalImages, long seed, Consumer<String> echo)
      throws IOException, InterruptedException {
    Objects.requireNonNull(echo, "echo");
    Path dir = Files.createTempDirectory("bench-train");
    List<String> args = List.of("train", "--minutes", Double.toString(minutes), "--sft-seconds",
        Double.toString(sftSeconds), "--eval-images", Integer.toString(evalImages), "--seed", Long.toString(seed),
        "--out", dir.resolve("run").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    try {
      Process p = pb.start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
          echo.accept(line);
        }
      }
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IOException("train exited with " + rc);
      }
      return parse(String.join(" ", args.subList(0, args.size() - 2)), lines);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** The figures in {@code train}'s printed {@code lines}; fails when its RL line is missing. */
  static Result parse(String command, List<String> lines) throws IOException {
    double sft = Double.NaN;
    double rl = Double.NaN;
    Matcher outcome = null;
    for (String line : lines) {
      Matcher m = RL.matcher(line);
      if (m.find()) {
        outcome = m;
        continue;
      }
      m = AFTER_SFT.matcher(line);
      if (m.find()) {
        sft = Double.parseDouble(m.group(1));
        continue;
      }
      m = AFTER_RL.matcher(line);
      if (m.find()) {
        rl = Double.parseDouble(m.group(1));
      }
    }
    if (outcome == null) {
      throw new IOException("train printed no RL outcome line");
    }
    return new Result(command, outcome.group(1), Long.parseLong(outcome.group(2)),
        Double.parseDouble(outcome.group(3)), Double.parseDouble(outcome.group(4)), sft, rl);
  }
}
