package saliency.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.data.DatasetReport.SkipKind;
import saliency.model.image.BadInputException;
import saliency.model.image.ImageIo;

/** The CoCA-layout loader: groups paired by folder, pairs by stem, bad groups and files counted, clear errors. */
class GroupDatasetTest {
  @TempDir Path root;

  private void pair(String group, String stem, String ext) throws Exception {
    ImageIo.writeRgb(root.resolve("images").resolve(group).resolve(stem + ext), DirectoryDatasetTest.colour(12, 8,
        0.7f));
    ImageIo.writeMask(root.resolve("masks").resolve(group).resolve(stem + ".png"), DirectoryDatasetTest.box(12, 8));
  }

  @Test
  void readsGroupsAndCountsWhatItLeavesOut() throws Exception {
    pair("cat", "a", ".png");
    pair("cat", "b", ".jpg");
    pair("dog", "d", ".png");
    ImageIo.writeRgb(root.resolve("images/cat/c.png"), DirectoryDatasetTest.colour(12, 8, 0.2f)); // no mask
    Files.writeString(root.resolve("images/cat/broken.jpg"), "not a jpeg");
    ImageIo.writeMask(root.resolve("masks/cat/broken.png"), DirectoryDatasetTest.box(12, 8));
    ImageIo.writeRgb(root.resolve("images/nomasks/e.png"), DirectoryDatasetTest.colour(12, 8, 0.2f));
    ImageIo.writeMask(root.resolve("masks/orphan/f.png"), DirectoryDatasetTest.box(12, 8));
    Files.writeString(root.resolve("images/readme.txt"), "groups below");
    ImageIo.writeRgb(root.resolve("images/unlabelled/g.png"), DirectoryDatasetTest.colour(12, 8, 0.2f));
    Files.createDirectories(root.resolve("masks/unlabelled"));

    GroupDataset ds = GroupDataset.scan(root);
    assertEquals(List.of("cat", "dog"), ds.groups().stream().map(GroupDataset.Group::name).toList());
    assertEquals(List.of("cat/a", "cat/b", "cat/broken"),
        ds.groups().get(0).pairs().stream().map(DirectoryDataset.ImagePair::name).toList());
    assertEquals(Map.of(SkipKind.UNPAIRED_GROUP, 4, SkipKind.IMAGE_WITHOUT_MASK, 2), ds.report().counts());
    assertEquals(4, ds.report().pairs());

    List<LabelledImage> cat = ds.load(ds.groups().get(0));
    assertEquals(List.of("cat/a", "cat/b"), cat.stream().map(LabelledImage::name).toList());
    assertEquals(DirectoryDatasetTest.box(12, 8), cat.get(0).mask());
    assertEquals(1, ds.report().count(SkipKind.UNREADABLE_IMAGE));
    assertTrue(ds.report().skippedFiles().contains(root.resolve("images/cat/broken.jpg")),
        ds.report().skippedFiles().toString());
    assertTrue(ds.report().skippedFiles().contains(root.resolve("images/nomasks")));
    assertTrue(ds.report().skippedFiles().contains(root.resolve("masks/orphan")));
    assertTrue(ds.report().skippedFiles().contains(root.resolve("images/unlabelled")));
    assertEquals(List.of("dog/d"), ds.load(ds.groups().get(1)).stream().map(LabelledImage::name).toList());
  }

  @Test
  void missingFoldersAndEmptyDatasetsAreErrorsNamingTheFolder() throws Exception {
    Files.createDirectories(root.resolve("images/cat"));
    BadInputException noMasks = assertThrows(BadInputException.class, () -> GroupDataset.scan(root));
    assertTrue(noMasks.getMessage().contains("masks") && noMasks.getMessage().contains("GROUP"),
        noMasks.getMessage());
    Files.createDirectories(root.resolve("masks/cat"));
    ImageIo.writeRgb(root.resolve("images/cat/a.png"), DirectoryDatasetTest.colour(12, 8, 0.2f));
    BadInputException none = assertThrows(BadInputException.class, () -> GroupDataset.scan(root));
    assertTrue(none.getMessage().contains("no group holds") && none.getMessage().contains(root.toString()),
        none.getMessage());
  }
}
