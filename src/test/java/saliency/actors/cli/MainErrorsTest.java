package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors of the command line: one line {@code COMMAND: message} and exit 1, usage errors exit 2, --verbose traces. */
class MainErrorsTest {
  @TempDir Path dir;

  @Test
  void aCommandErrorIsOneLineNamingTheCommand() {
    Path missing = dir.resolve("no-such-data");
    CliRun r = CliRun.of("eval", "--baseline", "centre-prior", "--data", missing.toString());
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("eval: "), r.err());
    assertTrue(r.err().contains(missing.toString()), r.err());
    assertFalse(r.err().contains("\tat "), r.err());

    CliRun bad = CliRun.of("eval", "--baseline", "nope", "--data", dir.toString());
    assertEquals(1, bad.code(), bad.err());
    assertEquals(1, bad.err().lines().count(), bad.err());
  }

  @Test
  void trainIntoSomeoneElsesFolderIsOneLine() throws java.io.IOException {
    Path mine = java.nio.file.Files.createDirectories(dir.resolve("mine"));
    java.nio.file.Files.writeString(mine.resolve("notes.txt"), "keep me");
    CliRun r = CliRun.of("train", "--out", mine.toString(), "--samples", "8");
    assertEquals(1, r.code(), r.err());
    assertEquals("train: " + mine + " is not empty and is not a run folder (no settings.properties); give a new or "
        + "empty folder for the run", r.err().strip());
    assertEquals(2, CliRun.of("train", "--minutes", "-1").code());
  }

  @Test
  void verbosePrintsTheStackTraceToo() {
    Path missing = dir.resolve("no-such-data");
    for (String[] args : new String[][] {
        {"--verbose", "eval", "--baseline", "centre-prior", "--data", missing.toString()},
        {"eval", "--verbose", "--baseline", "centre-prior", "--data", missing.toString()}}) {
      CliRun r = CliRun.of(args);
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().startsWith("eval: "), r.err());
      assertTrue(r.err().contains("\tat "), "stack trace: " + r.err());
    }
  }

  @Test
  void usageErrorsKeepPicocliMessageAndExitTwo() {
    CliRun r = CliRun.of("eval", "--bogus", "--data", dir.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("Unknown option: '--bogus'"), r.err());
    assertTrue(r.err().contains("Usage:"), r.err());
  }

  @Test
  void messagesSkipWrappersAndAddTheRootCause() {
    assertEquals("broken", Main.message(new UncheckedIOException(new IOException("broken"))));
    assertEquals("broken", Main.message(new ExecutionException(new RuntimeException(new IOException("broken")))));
    assertEquals("run: no policy: checksum mismatch",
        Main.message(new UncheckedIOException("run: no policy", new IOException("checksum mismatch"))));
    assertEquals("no such file: /x/y", Main.message(new NoSuchFileException("/x/y")));
    assertEquals("NullPointerException", Main.message(new NullPointerException()));
    assertEquals("ArithmeticException: / by zero", Main.message(new ArithmeticException("/ by zero")));
  }
}
