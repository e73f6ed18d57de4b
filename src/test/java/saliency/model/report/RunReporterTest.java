package saliency.model.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.data.SyntheticScenes;
import saliency.model.text.ParseResult;
import saliency.model.train.EvalResult;
import saliency.model.train.ExampleEncoder;
import saliency.model.train.Prepared;
import saliency.model.train.TrainSettings;

class RunReporterTest {
  @Test
  void writesCsvEventsPlotsAndGrid(@TempDir Path dir) throws Exception {
    AtomicLong clock = new AtomicLong();
    ExampleEncoder enc = new ExampleEncoder(TrainSettings.defaults());
    SyntheticScenes scenes = new SyntheticScenes(4);
    List<Prepared> ex = List.of(enc.prepare(scenes.get(0), true), enc.prepare(scenes.get(1), true));
    List<ParseResult> answers = List.of(enc.decode(ex.get(0).target()), ParseResult.class.cast(enc.decode(new int[] {1})));
    try (RunReporter r = new RunReporter(dir, clock::get)) {
      clock.set(1_000_000_000L);
      r.step(32, Map.of("reward", 0.25, "confidence", 0.2));
      clock.set(2_000_000_000L);
      r.step(64, Map.of("reward", 0.5, "confidence", 0.3));
      r.heldOut(64, new EvalResult(0.4, 0.3, 0.7, 0.1, 0.6, 1.0, 12, 2));
      r.grid(ex, answers);
    }
    List<String> lines = Files.readAllLines(dir.resolve(RunReporter.METRICS_CSV));
    assertEquals(4, lines.size(), lines.toString());
    assertTrue(lines.get(2).startsWith("2.000,64,train"), lines.get(2));
    assertTrue(lines.get(3).contains("greedyIoU=0.4"), lines.get(3));
    for (String png : List.of(RunReporter.REWARD_PNG, RunReporter.HELD_OUT_PNG, RunReporter.GRID_PNG)) {
      BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
      assertTrue(img.getWidth() > 100, png);
    }
    try (var files = Files.list(dir.resolve("tensorboard"))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents.")));
    }
  }

  @Test
  void aResumeCutsTheRowsPastItsCheckpointAndContinuesTheClock(@TempDir Path dir) throws Exception {
    AtomicLong clock = new AtomicLong();
    try (RunReporter r = new RunReporter(dir, clock::get)) {
      for (int k = 1; k <= 4; k++) {
        clock.set(k * 1_000_000_000L);
        r.step(k * 10L, Map.of("reward", 0.1 * k));
      }
    }
    Files.writeString(dir.resolve(RunReporter.METRICS_CSV), "5.0,5", java.nio.file.StandardOpenOption.APPEND);
    clock.set(0);
    try (RunReporter r = RunReporter.resumed(dir, clock::get, 20)) { // the checkpoint was at 20 samples
      clock.set(500_000_000L);
      r.step(30, Map.of("reward", 0.9));
    }
    List<String> lines = Files.readAllLines(dir.resolve(RunReporter.METRICS_CSV));
    assertEquals(4, lines.size(), lines.toString()); // header, 10, 20, the new 30
    assertTrue(lines.get(1).startsWith("1.000,10,train"), lines.get(1));
    assertTrue(lines.get(2).startsWith("2.000,20,train"), lines.get(2));
    assertTrue(lines.get(3).startsWith("2.500,30,train"), "the clock continues: " + lines.get(3));
    assertEquals(1, lines.stream().filter(l -> l.contains(",30,")).count(), "no step twice");
  }

  @Test
  void aResumeCutsTheTensorBoardStepsPastItsCheckpointSoNoneRepeats(@TempDir Path dir) throws Exception {
    AtomicLong clock = new AtomicLong();
    try (RunReporter r = new RunReporter(dir, clock::get)) {
      for (int k = 1; k <= 4; k++) {
        r.step(k * 10L, Map.of("reward", 0.1 * k));
      }
    }
    try (RunReporter r = RunReporter.resumed(dir, clock::get, 20)) { // the checkpoint was at 20 samples
      r.step(20, Map.of("reward", 0.5)); // a step already written: not again
      r.step(30, Map.of("reward", 0.9));
      r.step(40, Map.of("reward", 1.0));
    }
    List<Path> files;
    try (var s = Files.list(dir.resolve(RunReporter.TENSORBOARD))) {
      files = s.sorted().toList();
    }
    assertEquals(2, files.size(), "a second event file for the resumed session: " + files);
    List<Long> steps = new java.util.ArrayList<>();
    List<Float> values = new java.util.ArrayList<>();
    for (Path f : files) {
      for (org.tensorflow.proto.Event e : EventFileWriter.read(f)) {
        if (e.hasSummary()) {
          steps.add(e.getStep());
          values.add(e.getSummary().getValue(0).getSimpleValue());
        }
      }
    }
    assertEquals(List.of(10L, 20L, 30L, 40L), steps, "each step once, the old file cut back to the checkpoint");
    assertEquals(0.9f, values.get(2), 1e-6, "step 30 is the resumed session's");
  }
}
