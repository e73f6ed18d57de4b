package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import saliency.actors.train.RunProgress;
import saliency.model.train.RunFolder;
import saliency.model.train.TinySettings;
import saliency.model.train.TrainSettings;

/**
 * {@code train --resume} keeps the run's settings and data: a setting option that differs from the recorded one is
 * refused in one line naming it, before any training; options that agree, and the session budgets, pass.
 */
class TrainResumeOptionsTest {
  static final TrainSettings RECORDED = TinySettings.of("head", 5L);

  @TempDir Path dir;

  private record Run(int code, String err) {}

  private static Run train(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.install(new CommandLine(new Main()));
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "train";
    System.arraycopy(args, 0, all, 1, args.length);
    return new Run(cl.execute(all), err.toString());
  }

  @Test
  void aSettingOptionThatDiffersFromTheRunIsRefusedNamingIt() throws Exception {
    Path run = dir.resolve("run");
    Path duts = Files.createDirectories(dir.resolve("duts"));
    Path other = Files.createDirectories(dir.resolve("other"));
    new RunFolder(run).writeSettings(RECORDED, duts);
    // no progress.properties and an empty data folder: anything that got past the checks would start the run again
    // and fail on the data, not train
    for (List<String> option : List.of(List.of("--encoder", "mobilenet_v2"), List.of("--answer", "prompt"),
        List.of("--algo", "grpo"), List.of("--confidence", "seqprob"), List.of("--rl-lr", "5e-5"),
        List.of("--sft-lr", "3e-3"), List.of("--seed", "9"), List.of("--eval-images", "7"),
        List.of("--sft-seconds", "30"), List.of("--augment-views", "2"), List.of("--copy-paste", "0.3"),
        List.of("--augment-share", "0.5"), List.of("--data", other.toString()))) {
      Run r = train("--resume", run.toString(), option.get(0), option.get(1), "--samples", "8");
      assertEquals(1, r.code(), option + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), option + ": " + r.err());
      assertTrue(r.err().startsWith("train: " + option.get(0) + " "), option + ": " + r.err());
      assertTrue(!r.err().contains(RunProgress.FILE), option + " was refused before resuming: " + r.err());
    }

    // the same values as recorded, the same data folder spelled another way, and the budgets are not conflicts
    Run same = train("--resume", run.toString(), "--encoder", "conv", "--answer", "polygon", "--algo", "cgpo",
        "--confidence", "head", "--rl-lr", "1e-3", "--sft-lr", "0.001", "--seed", "5", "--eval-images", "4",
        "--data", duts.resolve("../duts").toString(), "--augment-views", "0", "--minutes", "1", "--samples", "8", "--eval-every", "0",
        "--threads", "2");
    assertEquals(1, same.code(), same.err());
    assertTrue(same.err().startsWith("train: " + duts), "got past the checks: " + same.err());
  }

  @Test
  void aNewRunRefusesAugmentationOutOfRangeBeforeAnyWork() throws Exception {
    Path duts = Files.createDirectories(dir.resolve("duts"));
    Run r = train("--data", duts.toString(), "--out", dir.resolve("new").toString(), "--augment-share", "1.5");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("--augment-share must be in [0, 1], got 1.5"), r.err());
    assertTrue(!Files.exists(dir.resolve("new")), "no folder is left by a refused option");
  }

  @Test
  void aSyntheticRunRefusesData() throws Exception {
    Path run = dir.resolve("synthetic-run");
    new RunFolder(run).writeSettings(RECORDED, null);
    Run r = train("--resume", run.toString(), "--data", Files.createDirectories(dir.resolve("duts")).toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("train: --data ") && r.err().contains("synthetic scenes"), r.err());
  }
}
