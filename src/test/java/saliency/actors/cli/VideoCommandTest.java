package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.geometry.Mask;
import saliency.model.image.GrayLevels;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;
import saliency.model.policy.PolicyCheckpoint;
import saliency.model.policy.PolicyNetwork;
import saliency.model.train.RunFolder;

/** {@code video}: one mask and one JSON line per frame of a frame folder, nothing written without --out. */
class VideoCommandTest {
  @TempDir Path dir;

  /** {@code n} 40x30 PNG frames with a bright square moving right. */
  private Path frames(int n) {
    Path f = dir.resolve("frames");
    for (int i = 0; i < n; i++) {
      float[] px = new float[40 * 30 * 3];
      for (int y = 10; y < 20; y++) {
        for (int x = 5 + i; x < 15 + i; x++) {
          for (int c = 0; c < 3; c++) {
            px[(y * 40 + x) * 3 + c] = 0.9f;
          }
        }
      }
      ImageIo.writeRgb(f.resolve(String.format("%04d.png", i)), new RgbImage(40, 30, px));
    }
    return f;
  }

  /** A run folder holding the test settings and an untrained policy. */
  private Path untrainedRun() throws Exception {
    Path runDir = dir.resolve("run");
    new RunFolder(runDir).writeSettings(EvalCommandTest.SETTINGS);
    try (PolicyNetwork net = PolicyNetwork.create(EvalCommandTest.SETTINGS.policyConfig())) {
      PolicyCheckpoint.of(net, null).save(new RunFolder(runDir).policyFile());
    }
    return runDir;
  }

  private static List<Path> files(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }

  @Test
  void centrePriorOnAFrameFolderWritesOneMaskAndOneJsonLinePerFrame() throws Exception {
    Path in = frames(6);
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("video", "--in", in.toString(), "--baseline", "centre-prior", "--out", out.toString(),
        "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err() + r.out());
    List<Path> masks = files(out.resolve("masks"));
    assertEquals(6, masks.size());
    assertEquals("00000.png", masks.get(0).getFileName().toString());
    GrayLevels g = ImageIo.readGrayLevels(masks.get(3));
    assertEquals(40, g.width());
    assertEquals(30, g.height());
    List<String> lines = Files.readAllLines(out.resolve("answers.jsonl"));
    assertEquals(6, lines.size());
    for (int i = 0; i < 6; i++) {
      String l = lines.get(i);
      assertTrue(l.startsWith("{\"frame\":" + i + ",\"pts_ms\":" + Math.round(i * 1000 / 24.0) + ",\"latency_ms\":"),
          l);
      assertFalse(l.contains("answer"), "a baseline writes no answer: " + l);
      assertTrue(l.endsWith("}"), l);
    }
    assertTrue(r.out().contains("6 frames") && r.out().contains("0 dropped"), r.out());
  }

  @Test
  void withoutOutNothingIsWritten() throws Exception {
    Path in = frames(3);
    CliRun r = CliRun.of("video", "--in", in.toString(), "--baseline", "centre-prior", "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of(in), files(dir));
    assertTrue(r.out().contains("3 frames"), r.out());
  }

  @Test
  void aRunWritesItsGreedyAnswerTextPerFrame() throws Exception {
    Path in = frames(3);
    Path runDir = untrainedRun();
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("video", "--in", in.toString(), "--run", runDir.toString(), "--out", out.toString(),
        "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err() + r.out());
    assertEquals(3, files(out.resolve("masks")).size());
    List<String> lines = Files.readAllLines(out.resolve("answers.jsonl"));
    assertEquals(3, lines.size());
    for (String l : lines) {
      assertTrue(l.matches("\\{\"frame\":\\d+,\"pts_ms\":\\d+,\"answer\":\"[^\"]*\",\"version\":0,"
          + "\"latency_ms\":[0-9.]+\\}"), l);
    }
  }

  @Test
  void aRunServedInBatchesOfFramesAnswersEveryFrameInOrder() throws Exception {
    Path in = frames(7);
    Path runDir = untrainedRun();
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("video", "--in", in.toString(), "--run", runDir.toString(), "--out", out.toString(),
        "--batch", "3", "--batch-wait-ms", "200", "--parallelism", "2", "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err() + r.out());
    assertEquals(7, files(out.resolve("masks")).size());
    List<String> lines = Files.readAllLines(out.resolve("answers.jsonl"));
    assertEquals(7, lines.size());
    for (int i = 0; i < 7; i++) {
      assertTrue(lines.get(i).startsWith("{\"frame\":" + i + ","), lines.get(i));
      assertTrue(lines.get(i).contains("\"version\":0"), lines.get(i));
    }
  }

  @Test
  void learnTrainsThePolicyFromTheStreamAndEachAnswerCarriesItsVersion() throws Exception {
    Path runDir = untrainedRun();
    Path out = dir.resolve("out");
    // a model held to 10 frames/s by the delay leaves the learning branch time for a few gradients
    CliRun r = CliRun.of("video", "--in", "synthetic:60", "--run", runDir.toString(), "--out", out.toString(),
        "--no-masks", "--learn", "--learn-batch", "2", "--extra-delay-ms", "100", "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err() + r.out());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "learning: (\\d+) of 60 answered frames labelled, (\\d+) learned from, (\\d+) samples trained in (\\d+) "
        + "gradients \\((\\d+) slices accepted").matcher(r.out());
    assertTrue(m.find(), r.out());
    assertEquals(59, Integer.parseInt(m.group(1)), "every frame after the first has a pseudo-label: " + r.out());
    assertTrue(Integer.parseInt(m.group(4)) >= 1, "learned: " + r.out());
    assertTrue(Integer.parseInt(m.group(5)) >= 1, "the learner took gradients: " + r.out());
    List<String> lines = Files.readAllLines(out.resolve("answers.jsonl"));
    assertEquals(60, lines.size());
    long previous = 0;
    for (String l : lines) {
      java.util.regex.Matcher v = java.util.regex.Pattern.compile("\"version\":(\\d+)").matcher(l);
      assertTrue(v.find(), l);
      long version = Long.parseLong(v.group(1));
      assertTrue(version >= previous, "versions never go back: " + l);
      previous = version;
    }
    assertTrue(previous >= 1, "new weights were swapped in while serving: " + lines.get(lines.size() - 1));
    assertTrue(Files.isDirectory(out.resolve("learn")), "the learner's folder under --out");
  }

  @Test
  void learnWithoutARunIsAUsageError() {
    CliRun r = CliRun.of("video", "--in", "synthetic:3", "--baseline", "centre-prior", "--learn");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--learn needs --run"), r.err());
  }

  @Test
  void realtimeWithASlowModelDropsFramesAndWritesOnlyTheAnsweredOnes() throws Exception {
    Path in = frames(30);
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("video", "--in", in.toString(), "--baseline", "centre-prior", "--out", out.toString(), "--realtime",
        "--fps", "100", "--extra-delay-ms", "40", "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err() + r.out());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) frames, .* (\\d+) dropped").matcher(r.out());
    assertTrue(m.find(), r.out());
    int answered = Integer.parseInt(m.group(1));
    int dropped = Integer.parseInt(m.group(2));
    assertTrue(dropped > 0, r.out());
    assertEquals(30, answered + dropped, r.out());
    assertEquals(answered, files(out.resolve("masks")).size());
    assertEquals(answered, Files.readAllLines(out.resolve("answers.jsonl")).size());
  }

  @Test
  void aSyntheticSourceIsScoredAgainstItsOwnGroundTruth() {
    CliRun r = CliRun.of("video", "--in", "synthetic:6", "--baseline", "centre-prior", "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("6 frames"), r.out());
    assertTrue(r.out().matches("(?s).*scores: S-measure 0\\.\\d+, MAE 0\\.\\d+, IoU 0\\.\\d+, max-F 0\\.\\d+ "
        + "over 6 labelled frames \\(0 unlabelled.*"), r.out());
  }

  @Test
  void serveBindsAnEphemeralLoopbackPortPrintsItAndStopsTheServerWhenTheSourceEnds() throws Exception {
    CliRun r = CliRun.of("video", "--in", "synthetic:8", "--baseline", "centre-prior", "--serve", "0",
        "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err() + r.out());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("video: live view at http://127\\.0\\.0\\.1:(\\d+)/")
        .matcher(r.out());
    assertTrue(m.find(), r.out());
    int port = Integer.parseInt(m.group(1));
    assertTrue(port > 0, r.out());
    assertTrue(r.out().contains("8 frames") && r.out().contains("live view stopped: 0 frames served to 0 viewers"),
        r.out());
    assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close(),
        "the server has stopped");
  }

  @Test
  void serveRefusesAPortOutOfRange() {
    CliRun r = CliRun.of("video", "--in", "synthetic:2", "--baseline", "centre-prior", "--serve", "70000");
    assertTrue(r.code() != 0, r.out());
    assertTrue(r.err().contains("--serve must be a port in 0..65535"), r.err());
  }

  @Test
  void labelsByFrameStemScoreTheLabelledFramesAndCountTheGaps() throws Exception {
    Path in = frames(4);
    Path labels = dir.resolve("labels");
    for (int i : new int[] {0, 1, 3}) {
      boolean[] bits = new boolean[40 * 30];
      for (int y = 10; y < 20; y++) {
        for (int x = 5 + i; x < 15 + i; x++) {
          bits[y * 40 + x] = true;
        }
      }
      ImageIo.writeMask(labels.resolve(String.format("%04d.png", i)), new Mask(40, 30, bits));
    }
    CliRun r = CliRun.of("video", "--in", in.toString(), "--baseline", "centre-prior", "--labels", labels.toString(),
        "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("over 3 labelled frames (1 unlabelled; labels " + labels + " by file stem"), r.out());
    CliRun bad = CliRun.of("video", "--in", in.toString(), "--baseline", "centre-prior", "--labels", labels.toString(),
        "--labels-prefix", "x", "--progress-seconds", "0");
    assertTrue(bad.code() != 0 && bad.err().contains("no .png mask starting with x"), bad.err());
  }

  @Test
  void aSmoothedOverlayOfASyntheticSourceIsWrittenFrameForFrame() throws Exception {
    Path mp4 = dir.resolve("overlay.mp4");
    CliRun r = CliRun.of("video", "--in", "synthetic:12", "--baseline", "centre-prior", "--smooth", "ema:0.3", "--overlay",
        mp4.toString(), "--progress-seconds", "0");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("overlay " + mp4 + ": 12 frames ("), r.out());
    assertTrue(Files.size(mp4) > 0);
    CliRun bad = CliRun.of("video", "--in", "synthetic:2", "--baseline", "centre-prior", "--smooth", "median");
    assertTrue(bad.code() != 0 && bad.err().contains("smoothing must be off, ema[:ALPHA] or vertices[:ALPHA]"), bad.err());
  }

  @Test
  void runAndBaselineTogetherIsAUsageError() throws Exception {
    Path in = frames(1);
    CliRun r = CliRun.of("video", "--in", in.toString(), "--baseline", "centre-prior", "--run", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("exactly one"), r.err());
  }

  @Test
  void aMissingSourceIsAnErrorNamingIt() {
    Path missing = dir.resolve("missing.mp4");
    CliRun r = CliRun.of("video", "--in", missing.toString(), "--baseline", "centre-prior");
    assertEquals(1, r.code());
    assertTrue(r.err().contains(missing.toString()), r.err());
  }
}
