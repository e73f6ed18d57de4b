package saliency.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.data.DatasetReport.Skip;
import saliency.model.data.DatasetReport.SkipKind;
import saliency.model.data.DirectoryDataset.ImagePair;
import saliency.model.geometry.Mask;
import saliency.model.image.BadInputException;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;
import saliency.model.image.Resizer;

class DirectoryDatasetTest {
  @TempDir Path root;
  private Path images;
  private Path masks;

  @BeforeEach
  void folders() throws Exception {
    images = Files.createDirectories(root.resolve("images"));
    masks = Files.createDirectories(root.resolve("masks"));
  }

  static RgbImage colour(int w, int h, float r) {
    float[] rgb = new float[w * h * 3];
    for (int i = 0; i < rgb.length; i += 3) {
      rgb[i] = r;
      rgb[i + 1] = 0.5f;
      rgb[i + 2] = 0.25f;
    }
    return new RgbImage(w, h, rgb);
  }

  static Mask box(int w, int h) {
    Mask m = new Mask(w, h);
    for (int y = h / 4; y < 3 * h / 4; y++) {
      for (int x = w / 4; x < 3 * w / 4; x++) {
        m.set(x, y, true);
      }
    }
    return m;
  }

  /** The mixed folder of the task: good pairs and every kind of bad input. */
  private void writeMixedFolder() throws Exception {
    for (String name : List.of("good1", "good2", "good3")) {
      ImageIo.writeRgb(images.resolve(name + ".png"), colour(20, 10, 0.8f));
      ImageIo.writeMask(masks.resolve(name + ".png"), box(20, 10));
    }
    ImageIo.writeRgb(images.resolve("nomask.jpg"), colour(20, 10, 0.1f));
    ImageIo.writeMask(masks.resolve("noimage.png"), box(20, 10));
    Files.writeString(images.resolve("broken.jpg"), "definitely not a jpeg");
    ImageIo.writeMask(masks.resolve("broken.png"), box(20, 10));
    ImageIo.writeRgb(images.resolve("wrongsize.png"), colour(20, 10, 0.3f));
    ImageIo.writeMask(masks.resolve("wrongsize.png"), box(10, 20));
    // grayscale jpeg with an 8-bit mask: must load
    BufferedImage gray = new BufferedImage(16, 12, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 16; x++) {
        gray.getRaster().setSample(x, y, 0, 10 * x);
      }
    }
    ImageIO.write(gray, "jpg", images.resolve("grayjpg.jpg").toFile());
    ImageIo.writeMask(masks.resolve("grayjpg.png"), box(16, 12));
    // a 1-bit mask png: must load
    ImageIo.writeRgb(images.resolve("onebit.png"), colour(8, 8, 0.6f));
    BufferedImage bin = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY);
    bin.getRaster().setSample(3, 4, 0, 1);
    bin.getRaster().setSample(4, 4, 0, 1);
    ImageIO.write(bin, "png", masks.resolve("onebit.png").toFile());
    // a soft map saved as a mask: non-binary
    ImageIo.writeRgb(images.resolve("soft.png"), colour(10, 10, 0.5f));
    double[] ramp = new double[100];
    for (int i = 0; i < 100; i++) {
      ramp[i] = i / 99.0;
    }
    ImageIo.writeGray8(masks.resolve("soft.png"), ramp, 10, 10);
    // a mask with a thin anti-aliased edge (4 of 100 pixels at 128): accepted
    ImageIo.writeRgb(images.resolve("edges.png"), colour(10, 10, 0.5f));
    byte[] edge = new byte[100];
    for (int i = 50; i < 100; i++) {
      edge[i] = (byte) 255;
    }
    for (int i = 40; i < 44; i++) {
      edge[i] = (byte) 128;
    }
    ImageIo.writeGray8(masks.resolve("edges.png"), edge, 10, 10);
    // two images with one stem, and a stray text file
    ImageIo.writeRgb(images.resolve("twice.png"), colour(4, 4, 0.5f));
    ImageIo.writeRgb(images.resolve("twice.jpg"), colour(4, 4, 0.5f));
    ImageIo.writeMask(masks.resolve("twice.png"), box(4, 4));
    Files.writeString(images.resolve("notes.txt"), "hello");
  }

  @Test
  void mixedFolderIsCountedNeverCrashes() throws Exception {
    writeMixedFolder();
    DirectoryDataset ds = DirectoryDataset.scan(root);
    DatasetReport r = ds.report();
    List<String> names = ds.pairs().stream().map(ImagePair::name).toList();
    assertEquals(List.of("broken", "edges", "good1", "good2", "good3", "grayjpg", "onebit", "soft", "wrongsize"),
        names);
    assertEquals(9, r.pairs());
    assertEquals(Map.of(SkipKind.IMAGE_WITHOUT_MASK, 1, SkipKind.MASK_WITHOUT_IMAGE, 1,
        SkipKind.DUPLICATE_STEM, 1, SkipKind.UNSUPPORTED_FILE, 1), r.counts());

    List<LabelledImage> ok = new ArrayList<>();
    for (ImagePair p : ds.pairs()) {
      ds.load(p).ifPresent(ok::add);
    }
    assertEquals(List.of("edges", "good1", "good2", "good3", "grayjpg", "onebit"),
        ok.stream().map(LabelledImage::name).toList());
    assertEquals(6, r.loaded());
    assertEquals(1, r.count(SkipKind.UNREADABLE_IMAGE));
    assertEquals(1, r.count(SkipKind.SIZE_MISMATCH));
    assertEquals(1, r.count(SkipKind.NON_BINARY_MASK));
    assertEquals(7, r.skips().size());

    Skip broken = only(r, SkipKind.UNREADABLE_IMAGE);
    assertEquals(images.resolve("broken.jpg"), broken.file());
    assertTrue(broken.reason().contains("not a readable"), broken.reason());
    Skip size = only(r, SkipKind.SIZE_MISMATCH);
    assertEquals("mask is 10x20 but image wrongsize.png is 20x10", size.reason());
    Skip soft = only(r, SkipKind.NON_BINARY_MASK);
    assertTrue(soft.reason().startsWith("86.0% of pixels are neither near 0 nor near 255 (limit 5%)"), soft.reason());
    assertEquals(images.resolve("nomask.jpg"), only(r, SkipKind.IMAGE_WITHOUT_MASK).file());
    assertEquals(masks.resolve("noimage.png"), only(r, SkipKind.MASK_WITHOUT_IMAGE).file());
    assertEquals(images.resolve("notes.txt"), only(r, SkipKind.UNSUPPORTED_FILE).file());
    assertTrue(only(r, SkipKind.DUPLICATE_STEM).reason().contains("twice."));

    LabelledImage gray = ok.get(4);
    assertEquals(16, gray.image().width());
    assertEquals(gray.image().get(8, 6, 0), gray.image().get(8, 6, 2), 1e-6f); // gray stays gray
    assertEquals(80 / 255f, gray.image().get(8, 6, 1), 0.03f); // levels read directly, not re-gamma'd
    assertEquals(2, ok.get(5).mask().count()); // 1-bit mask
    assertEquals(54, ok.get(0).mask().count()); // the four edge pixels at 128 are on (> 127)
    // retrying a bad pair neither crashes nor double-counts
    ds.load(ds.pairs().get(0));
    assertEquals(7, r.skips().size());
    assertTrue(r.summary().startsWith("pairs 9, loaded 6, empty masks 0, skipped 7"), r.summary());
  }

  @Test
  void skippedFilesAreNamedInTheSummaryAndAllListedAsCsv() throws Exception {
    writeMixedFolder();
    Files.writeString(images.resolve("a, \"quoted\".txt"), "x");
    DirectoryDataset ds = DirectoryDataset.scan(root);
    for (ImagePair p : ds.pairs()) {
      ds.load(p);
    }
    DatasetReport r = ds.report();
    List<Skip> skips = r.skips();
    assertEquals(8, skips.size());
    // the summary names the first five skipped files, then says how many more there are
    String summary = r.summary();
    for (int i = 0; i < 8; i++) {
      String named = skips.get(i).file().getFileName() + " (" + skips.get(i).kind() + ")";
      assertEquals(i < DatasetReport.SUMMARY_NAMES, summary.contains(named), named + " in " + summary);
    }
    assertTrue(summary.endsWith(" and 3 more"), summary);
    // every skipped file is listed, in order, and as CSV rows (quoted where needed)
    assertEquals(skips.stream().map(Skip::file).toList(), r.skippedFiles());
    List<String> rows = r.skipsCsv().lines().toList();
    assertEquals("name,kind,file,reason", rows.get(0));
    assertEquals(9, rows.size());
    assertTrue(r.skipsCsv().contains("broken,UNREADABLE_IMAGE," + images.resolve("broken.jpg") + ","), r.skipsCsv());
    assertTrue(r.skipsCsv().contains("\"" + images.resolve("a, \"\"quoted\"\".txt") + "\""), r.skipsCsv());
  }

  private static Skip only(DatasetReport r, SkipKind kind) {
    List<Skip> s = r.skips().stream().filter(k -> k.kind() == kind).toList();
    assertEquals(1, s.size(), kind + ": " + s);
    return s.get(0);
  }

  @Test
  void masksStoredAsZeroOneLoadAsBinaryAndAreCounted() throws Exception {
    // DUTS layout with 8-bit masks whose object pixels are 1 (not 255)
    for (String name : List.of("a", "b")) {
      ImageIo.writeRgb(images.resolve(name + ".jpg"), colour(20, 10, 0.8f));
      BufferedImage m = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 3; y < 7; y++) {
        for (int x = 5; x < 15; x++) {
          m.getRaster().setSample(x, y, 0, 1);
        }
      }
      ImageIO.write(m, "png", masks.resolve(name + ".png").toFile());
    }
    ImageIo.writeRgb(images.resolve("c.png"), colour(20, 10, 0.8f));
    ImageIo.writeMask(masks.resolve("c.png"), box(20, 10));
    DirectoryDataset ds = DirectoryDataset.scan(root);
    for (ImagePair p : ds.pairs()) {
      LabelledImage li = ds.load(p).orElseThrow();
      assertEquals(p.name().equals("c") ? 50 : 40, li.mask().count(), p.name());
    }
    DatasetReport r = ds.report();
    assertEquals(3, r.loaded());
    assertEquals(0, r.emptyMasks());
    assertEquals(2, r.zeroOneMasks());
    assertEquals("pairs 3, loaded 3, empty masks 0, 0/1 masks 2, skipped 0", r.summary());
  }

  @Test
  void truncatedAndOversizedFilesAreCountedNamedSkips() throws Exception {
    ImageIo.writeRgb(images.resolve("good.png"), colour(20, 10, 0.8f));
    ImageIo.writeMask(masks.resolve("good.png"), box(20, 10));
    // a noisy JPEG cut to a fifth of its bytes (would decode to a partly grey picture)
    BufferedImage noise = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    java.util.Random rnd = new java.util.Random(2);
    for (int y = 0; y < 240; y++) {
      for (int x = 0; x < 320; x++) {
        noise.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
    ImageIO.write(noise, "jpg", jpeg);
    Files.write(images.resolve("cut.jpg"), java.util.Arrays.copyOf(jpeg.toByteArray(), jpeg.size() / 5));
    ImageIo.writeMask(masks.resolve("cut.png"), box(320, 240));
    // a mask PNG whose header declares 16000 x 16000 pixels: refused from the header
    ImageIo.writeRgb(images.resolve("bomb.png"), colour(20, 10, 0.8f));
    Path bomb = masks.resolve("bomb.png");
    ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", bomb.toFile());
    byte[] png = Files.readAllBytes(bomb);
    java.nio.ByteBuffer.wrap(png, 16, 8).putInt(16000).putInt(16000); // IHDR width and height
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(png, 12, 17);
    java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
    Files.write(bomb, png);

    DirectoryDataset ds = DirectoryDataset.scan(root);
    List<String> loaded = new ArrayList<>();
    for (ImagePair p : ds.pairs()) {
      ds.load(p).ifPresent(li -> loaded.add(li.name()));
    }
    assertEquals(List.of("good"), loaded);
    DatasetReport r = ds.report();
    Skip cut = only(r, SkipKind.TRUNCATED_FILE);
    assertEquals(images.resolve("cut.jpg"), cut.file());
    assertTrue(cut.reason().contains("truncated"), cut.reason());
    Skip big = only(r, SkipKind.TOO_LARGE);
    assertEquals(bomb, big.file());
    assertTrue(big.reason().contains("16000x16000"), big.reason());
    assertEquals(2, r.skips().size());
  }

  @Test
  void missingFoldersAreNamed() throws Exception {
    Path nowhere = root.resolve("nowhere");
    BadInputException e = assertThrows(BadInputException.class, () -> DirectoryDataset.scan(nowhere));
    assertEquals(nowhere, e.file());
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    Path half = Files.createDirectories(root.resolve("half/images"));
    BadInputException m = assertThrows(BadInputException.class, () -> DirectoryDataset.scan(half.getParent()));
    assertEquals(half.getParent().resolve("masks"), m.file());
    assertTrue(m.reason().contains("no masks/ folder"), m.reason());
  }

  @Test
  void splitIsSeededStableAndNearTheFraction() {
    List<ImagePair> pairs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      pairs.add(new ImagePair("img" + i, Path.of("i" + i), Path.of("m" + i)));
    }
    DirectoryDataset.Split s = DirectoryDataset.split(pairs, 0.2, 1);
    assertEquals(2000, s.train().size() + s.heldOut().size());
    assertTrue(Math.abs(s.heldOut().size() - 400) < 60, "held out " + s.heldOut().size());
    // adding files never moves an existing one
    List<ImagePair> more = new ArrayList<>(pairs.subList(0, 1000));
    more.add(new ImagePair("extra", Path.of("x"), Path.of("y")));
    Set<String> heldSmall = new HashSet<>();
    DirectoryDataset.split(more, 0.2, 1).heldOut().forEach(p -> heldSmall.add(p.name()));
    for (ImagePair p : pairs.subList(0, 1000)) {
      assertEquals(s.heldOut().contains(p), heldSmall.contains(p.name()), p.name());
    }
    assertNotEquals(s.heldOut(), DirectoryDataset.split(pairs, 0.2, 2).heldOut());
    assertEquals(0, DirectoryDataset.split(pairs, 0, 1).heldOut().size());
    assertThrows(IllegalArgumentException.class, () -> DirectoryDataset.isHeldOut("a", 1.5, 1));
  }

  @Test
  void epochsShuffleAndResumeFromAPosition() {
    List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    EpochIterator<Integer> it = new EpochIterator<>(items, 99);
    List<Integer> first = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      first.add(it.next());
    }
    assertEquals(new HashSet<>(items), new HashSet<>(first));
    assertEquals(new DataPosition(1, 0), it.position());
    List<Integer> second = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      second.add(it.next());
    }
    DataPosition pos = it.position();
    assertEquals(new DataPosition(1, 3), pos);
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      rest.add(it.next());
    }
    EpochIterator<Integer> resumed = new EpochIterator<>(items, 99, pos);
    List<Integer> again = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      again.add(resumed.next());
    }
    assertEquals(rest, again);
    assertNotEquals(it.epochOrder(0), it.epochOrder(1));
    assertEquals(first, it.epochOrder(0));
  }

  @Test
  void examplesSkipBadPairsCacheAndResume() throws Exception {
    writeMixedFolder();
    DirectoryDataset ds = DirectoryDataset.scan(root, 4);
    Resizer resizer = Resizer.letterbox(8, 0f);
    DirectoryDataset.Examples ex = ds.examples(ds.pairs(), 5, DataPosition.START, resizer);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      LabelledImage li = ex.next();
      assertEquals(8, li.image().width());
      assertEquals(8, li.mask().height());
      seen.add(li.name());
    }
    assertEquals(Set.of("edges", "good1", "good2", "good3", "grayjpg", "onebit"), seen);
    assertEquals(4, ds.cachedCount());
    DataPosition pos = ex.position();
    List<String> next = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      next.add(ex.next().name());
    }
    DirectoryDataset.Examples resumed = DirectoryDataset.scan(root).examples(ds.pairs(), 5, pos, resizer);
    List<String> again = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      again.add(resumed.next().name());
    }
    assertEquals(next, again);
    // cached and fresh loads agree
    ImagePair good = ds.pairs().get(2);
    Optional<LabelledImage> a = ds.load(good, resizer);
    Optional<LabelledImage> b = DirectoryDataset.scan(root).load(good, resizer);
    assertArrayEquals(a.orElseThrow().image().rgb(), b.orElseThrow().image().rgb());

    // a list of only bad pairs ends with a clear error instead of looping
    List<ImagePair> bad = ds.pairs().stream().filter(p -> p.name().equals("broken") || p.name().equals("soft"))
        .toList();
    BadInputException e = assertThrows(BadInputException.class,
        () -> ds.examples(bad, 1, DataPosition.START, resizer).next());
    assertTrue(e.getMessage().contains("none of 2 pairs loads"), e.getMessage());
  }

  @Test
  void dutsSliceLoadsCompletely() {
    Path duts = Path.of("../shared/data/duts-tr-500");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(duts),
        "../shared/data/duts-tr-500 not found; skipping the DUTS check");
    DirectoryDataset ds = DirectoryDataset.scan(duts);
    assertEquals(499, ds.pairs().size());
    assertTrue(ds.report().skips().isEmpty(), ds.report().summary());
    DirectoryDataset.Split split = ds.split(DirectoryDataset.DEFAULT_HELD_OUT, 0);
    assertEquals(499, split.train().size() + split.heldOut().size());
    assertTrue(split.heldOut().size() > 70 && split.heldOut().size() < 130, "held out " + split.heldOut().size());
    int onPixels = 0;
    for (ImagePair p : ds.pairs()) {
      LabelledImage li = ds.load(p).orElseThrow(() -> new AssertionError(ds.report().skips()));
      assertFalse(li.mask().isEmpty(), p.name());
      onPixels += li.mask().count() > 0 ? 1 : 0;
    }
    assertEquals(499, onPixels);
    assertEquals(499, ds.report().loaded());
    System.out.println("duts-tr-500: " + ds.report().summary() + "; split train " + split.train().size()
        + ", held out " + split.heldOut().size());
  }
}
