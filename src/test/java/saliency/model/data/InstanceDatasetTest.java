package saliency.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.data.DatasetReport.SkipKind;
import saliency.model.data.DirectoryDataset.ImagePair;
import saliency.model.geometry.Mask;
import saliency.model.image.BadInputException;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;
import saliency.model.image.Resizer;

/** Instance files in the DUTS layout: index-coded (gray, palette) and colour-coded PNGs, and their counted skips. */
class InstanceDatasetTest {
  @TempDir Path root;
  private Path images;
  private Path instances;

  @BeforeEach
  void folders() throws Exception {
    images = Files.createDirectories(root.resolve("images"));
    instances = Files.createDirectories(root.resolve("instances"));
  }

  /** Rectangles [x0,x1) x [y0,y1), one per label 1..K, on a w x h map. */
  private static int[] labels(int w, int h, int[]... boxes) {
    int[] out = new int[w * h];
    for (int k = 0; k < boxes.length; k++) {
      int[] b = boxes[k];
      for (int y = b[2]; y < b[3]; y++) {
        for (int x = b[0]; x < b[1]; x++) {
          out[y * w + x] = k + 1;
        }
      }
    }
    return out;
  }

  private static void writeGray(Path file, int[] labels, int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setPixels(0, 0, w, h, labels);
    ImageIO.write(img, "png", file.toFile());
  }

  private static void writePalette(Path file, int[] labels, int w, int h) throws Exception {
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 1; i < 256; i++) { // a VOC-like palette: index 0 black, others coloured
      r[i] = (byte) (37 * i);
      g[i] = (byte) (91 * i);
      b[i] = (byte) (53 * i + 1);
    }
    BufferedImage img =
        new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
    img.getRaster().setPixels(0, 0, w, h, labels);
    ImageIO.write(img, "png", file.toFile());
  }

  private void image(String name, int w, int h) {
    ImageIo.writeRgb(images.resolve(name + ".png"), new RgbImage(w, h, new float[w * h * 3]));
  }

  /** The pixels of {@code labels} equal to {@code k}. */
  private static Mask only(int[] labels, int k, int w, int h) {
    boolean[] bits = new boolean[labels.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = labels[i] == k;
    }
    return new Mask(w, h, bits);
  }

  @Test
  void indexAndColourCodedFilesGiveInstancesAndTheirUnion() throws Exception {
    int w = 20;
    int h = 10;
    int[] a = {2, 6, 1, 5};
    int[] c = {10, 18, 3, 9};
    image("gray", w, h);
    writeGray(instances.resolve("gray.png"), labels(w, h, a, c), w, h);
    image("palette", w, h);
    writePalette(instances.resolve("palette.png"), labels(w, h, a, c), w, h);
    image("colour", w, h);
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] coded = labels(w, h, c, a); // the right-hand box first in label order, but second in raster order
    for (int i = 0; i < coded.length; i++) {
      rgb.setRGB(i % w, i / w, coded[i] == 0 ? 0 : coded[i] == 1 ? 0x00ff00 : 0xff0000);
    }
    ImageIO.write(rgb, "png", instances.resolve("colour.png").toFile());
    image("none", w, h);
    writeGray(instances.resolve("none.png"), new int[w * h], w, h);

    DirectoryDataset ds = DirectoryDataset.scanInstances(root);
    assertTrue(ds.hasInstances());
    Mask first = only(labels(w, h, a), 1, w, h);
    Mask second = only(labels(w, h, c), 1, w, h);
    Mask union = first.copy().orInPlace(second);
    for (String name : List.of("gray", "palette", "colour")) {
      LabelledImage li = ds.load(pair(ds, name)).orElseThrow();
      assertEquals(List.of(first, second), li.instances(), name + ": instances in label order (colour: raster order)");
      assertEquals(union, li.mask(), name + ": the mask is the union");
    }
    LabelledImage none = ds.load(pair(ds, "none")).orElseThrow();
    assertEquals(List.of(), none.instances());
    assertTrue(none.mask().isEmpty());
    assertEquals(4, ds.report().loaded());
    assertEquals(1, ds.report().emptyMasks());

    LabelledImage small = ds.load(pair(ds, "gray"), Resizer.stretch(10)).orElseThrow();
    assertEquals(2, small.instances().size());
    assertEquals(10, small.instances().get(1).width());
    Mask resizedUnion = small.instances().get(0).copy().orInPlace(small.instances().get(1));
    assertEquals(small.mask(), resizedUnion, "resized instances still union to the resized mask");
  }

  @Test
  void badInstanceFilesAreCountedNamedSkips() throws Exception {
    int w = 12;
    int h = 8;
    image("good", w, h);
    writeGray(instances.resolve("good.png"), labels(w, h, new int[] {1, 4, 1, 4}), w, h);
    image("photo", w, h);
    BufferedImage photo = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < w * h; i++) {
      photo.setRGB(i % w, i / w, 0x102030 + 977 * i);
    }
    ImageIO.write(photo, "png", instances.resolve("photo.png").toFile());
    image("wrongsize", w, h);
    writeGray(instances.resolve("wrongsize.png"), new int[6 * 6], 6, 6);
    image("noinstances", w, h);
    Files.writeString(instances.resolve("broken.png"), "not a png");
    image("broken", w, h);
    Files.writeString(instances.resolve("readme.txt"), "hello");

    DirectoryDataset ds = DirectoryDataset.scanInstances(root);
    for (ImagePair p : ds.pairs()) {
      ds.load(p);
    }
    DatasetReport r = ds.report();
    assertEquals(1, r.loaded(), r.summary());
    assertEquals(Map.of(SkipKind.TOO_MANY_INSTANCES, 1, SkipKind.SIZE_MISMATCH, 1, SkipKind.IMAGE_WITHOUT_MASK, 1,
        SkipKind.UNREADABLE_MASK, 1, SkipKind.UNSUPPORTED_FILE, 1), r.counts(), r.summary());
    String csv = r.skipsCsv();
    assertTrue(csv.contains("photo.png") && csv.contains("96 distinct non-zero values or colours (limit 64)"), csv);
    assertTrue(csv.contains("instance file is 6x6 but image wrongsize.png is 12x8"), csv);
    assertTrue(csv.contains("no instance file " + instances.resolve("noinstances.png")), csv);
  }

  @Test
  void aMissingInstancesFolderIsNamed() throws Exception {
    Path half = Files.createDirectories(root.resolve("half/images"));
    BadInputException e =
        assertThrows(BadInputException.class, () -> DirectoryDataset.scanInstances(half.getParent()));
    assertEquals(half.getParent().resolve("instances"), e.file());
    assertTrue(e.reason().contains("no instances/ folder"), e.reason());
  }

  private static ImagePair pair(DirectoryDataset ds, String name) {
    return ds.pairs().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }
}
