package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.data.DataPosition;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;

/** The validation set a folder dataset sets aside from its training split, and the parts cluster nodes train on. */
class TrainingDataTest {
  static final TrainSettings SETTINGS = TinySettings.of("calibrated", 1L)
      .withRlPhase(TinySettings.of("calibrated", 1L).rlPhase().withSeconds(1)).withEval(new TrainSettings.Eval(0, 1));

  @TempDir Path dir;

  @Test
  void validationIsAStableDisjointPartOfTheTrainingSplit() throws Exception {
    writeFolder(60);
    ExampleEncoder enc = new ExampleEncoder(SETTINGS);
    TrainingData plain = TrainingData.directory(enc, dir, 1L, 0, DataPosition.START);
    TrainingData split = TrainingData.directory(enc, dir, 1L, 0, DataPosition.START, 0.1);
    assertTrue(plain.validation().isEmpty());
    int val = split.validation().size();
    assertTrue(val >= 1 && val <= plain.trainExamples().size() / 4, "about a tenth: " + val);
    assertEquals(plain.trainExamples().size(), split.trainExamples().size() + val);
    Set<String> train = new HashSet<>();
    split.trainExamples().forEach(p -> train.add(p.original().name()));
    for (Prepared p : split.validation()) {
      assertFalse(train.contains(p.original().name()), "never trained on: " + p.original().name());
      assertTrue(TrainingData.inValidation(p.original().name(), 0.1));
    }
    for (String name : train) {
      assertFalse(TrainingData.inValidation(name, 0.1));
    }
    Set<String> heldOut = new HashSet<>();
    split.heldOut().forEach(p -> heldOut.add(p.original().name()));
    plain.heldOut().forEach(p -> assertTrue(heldOut.contains(p.original().name()), "the held-out split is unchanged"));
    assertTrue(split.description().contains(val + " validation"), split.description());
    assertThrows(IllegalArgumentException.class,
        () -> TrainingData.directory(enc, dir, 1L, 0, DataPosition.START, 0.7));
  }

  @Test
  void nodePartsAreDisjointAndCoverTheTrainingImages() throws Exception {
    writeFolder(40);
    ExampleEncoder enc = new ExampleEncoder(SETTINGS);
    TrainingData whole = TrainingData.directory(enc, dir, 1L, 0, DataPosition.START, 0.1);
    Set<String> all = names(whole.trainExamples());
    Set<String> seen = new HashSet<>();
    for (int part = 0; part < 3; part++) {
      TrainingData mine = TrainingData.directory(enc, dir, 1L, 0, DataPosition.START, 0.1,
          saliency.model.data.Augmentation.Settings.off(), part, 3);
      Set<String> names = names(mine.trainExamples());
      assertTrue(Math.abs(names.size() - all.size() / 3.0) <= 1, "a third each: " + names.size() + " of " + all.size());
      for (String n : names) {
        assertTrue(seen.add(n), "in one part only: " + n);
      }
      assertTrue(mine.description().contains("(part " + part + " of 3)"), mine.description());
    }
    assertEquals(all, seen, "the parts cover the training images, validation left out");
    assertThrows(IllegalArgumentException.class, () -> TrainingData.directory(enc, dir, 1L, 0, DataPosition.START,
        0.1, saliency.model.data.Augmentation.Settings.off(), 3, 3));
  }

  private static Set<String> names(java.util.List<Prepared> examples) {
    Set<String> out = new HashSet<>();
    examples.forEach(p -> out.add(p.original().name()));
    return out;
  }

  /** A DUTS-layout folder of {@code n} 16x16 images with a centred square object. */
  @Test
  void aCod10kLayoutFolderTrainsCodWithTheCodPromptAndItsRegionTargets() throws Exception {
    writeFolder(30); // COD10K ships in the DUTS layout: images/NAME.jpg with masks/NAME.png
    ExampleEncoder enc = new ExampleEncoder(SETTINGS);
    TrainingData sod = TrainingData.directory(enc, dir, 1L, 0, DataPosition.START, 0.1);
    TrainingData cod = TrainingData.directory(enc, dir, 1L, 0, DataPosition.START, 0.1)
        .asTask(saliency.model.text.Task.COD);
    assertEquals(sod.heldOut().size(), cod.heldOut().size());
    assertEquals(sod.validation().size(), cod.validation().size());
    assertTrue(cod.description().endsWith("task cod"), cod.description());
    for (java.util.List<Prepared> l : java.util.List.of(cod.heldOut(), cod.validation(), cod.trainExamples())) {
      l.forEach(p -> assertEquals(saliency.model.text.Task.COD, p.task()));
    }
    for (int i = 0; i < 10; i++) {
      Prepared a = sod.train().next();
      Prepared b = cod.train().next();
      assertEquals(saliency.model.text.Task.SOD, a.task());
      assertEquals(saliency.model.text.Task.COD, b.task());
      assertEquals(a.original().name(), b.original().name(), "the same seeded order");
      assertTrue(java.util.Arrays.equals(a.target(), b.target()), "the same region target");
    }
    assertEquals(java.util.List.of(saliency.model.text.Vocabulary.COD),
        java.util.Arrays.stream(Prepared.promptTokens(cod.heldOut().subList(0, 1))).boxed().toList());
    assertTrue(sod.asTask(saliency.model.text.Task.SOD) == sod);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sod.asTask(saliency.model.text.Task.SIS));
    assertTrue(e.getMessage().contains("sis"), e.getMessage());
    assertEquals(saliency.model.text.Task.COD, TaskFile.folderTask(TaskMix.parse("cod"), dir));
    IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
        () -> TaskFile.folderTask(TaskMix.parse("sod:0.5,cod:0.5"), dir));
    assertTrue(mixed.getMessage().contains(dir.toString()), mixed.getMessage());
  }

  @Test
  void theRunFolderRecordsItsTasks() throws Exception {
    assertEquals(TaskMix.sod(), TaskFile.read(dir), "a folder without a record trained sod");
    TaskMix mix = TaskMix.parse("sod:0.5,sis:0.2,cod:0.3");
    TaskFile.write(dir, mix);
    assertEquals(mix, TaskFile.read(dir));
    Files.writeString(dir.resolve(TaskFile.FILE), "tasks=sod:0.5,sis:0.2\n");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> TaskFile.read(dir));
    assertTrue(e.getMessage().contains(TaskFile.FILE) && e.getMessage().contains("sum to"), e.getMessage());
  }

  private void writeFolder(int n) throws java.io.IOException {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    for (int i = 0; i < n; i++) {
      ImageIo.writeRgb(dir.resolve("images/im" + i + ".png"), new RgbImage(16, 16, new float[16 * 16 * 3]));
      BufferedImage m = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 4; y < 12; y++) {
        for (int x = 4; x < 12; x++) {
          m.getRaster().setSample(x, y, 0, 255);
        }
      }
      ImageIO.write(m, "png", dir.resolve("masks/im" + i + ".png").toFile());
    }
  }
}
