package saliency.model.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import saliency.model.data.DatasetReport.Skip;
import saliency.model.data.DatasetReport.SkipKind;
import saliency.model.image.BadInputException;

/**
 * A CoSOD dataset in the CoCA / CoSal2015 layout, {@code ROOT/images/GROUP/NAME.jpg|jpeg|png} with
 * {@code ROOT/masks/GROUP/NAME.png}: one folder per image group, pairs matched by stem inside a group and named
 * {@code GROUP/NAME}; it owns the groups found and loads through a {@link DirectoryDataset} over all their pairs (the
 * same mask rule, counted skips and {@link DatasetReport}); thread-safe.
 *
 * <p>A group folder without its counterpart (images without masks or masks without images), a group in which no image
 * pairs with a mask, or a plain file where group folders are expected, is a counted {@link SkipKind#UNPAIRED_GROUP}
 * skip; inside a group, unpaired,
 * duplicate, unsupported and unreadable files are the skips of {@link DirectoryDataset}.
 */
public final class GroupDataset {

  /**
   * One image group: its folder name and its pairs, sorted by name.
   *
   * @param name the group folder's name
   * @param pairs the group's image and mask files
   */
  public record Group(String name, List<DirectoryDataset.ImagePair> pairs) {
    public Group {
      Objects.requireNonNull(name, "name");
      pairs = List.copyOf(pairs);
    }
  }

  private final List<Group> groups;
  private final DirectoryDataset images;

  private GroupDataset(List<Group> groups, DirectoryDataset images) {
    this.groups = List.copyOf(groups);
    this.images = Objects.requireNonNull(images, "images");
  }

  /**
   * Scans {@code root/images} and {@code root/masks} group by group. Throws {@link BadInputException} naming the folder
   * when {@code root}, {@code root/images} or {@code root/masks} is not a folder, or when no group holds a pair.
   */
  public static GroupDataset scan(Path root) {
    Objects.requireNonNull(root, "root");
    String expected = " folder (expected ROOT/images/GROUP/NAME.jpg and ROOT/masks/GROUP/NAME.png)";
    DirectoryDataset.requireFolder(root, "dataset folder does not exist or is not a folder");
    Path imagesDir = root.resolve("images");
    Path masksDir = root.resolve("masks");
    DirectoryDataset.requireFolder(imagesDir, "no images/" + expected);
    DirectoryDataset.requireFolder(masksDir, "no masks/" + expected);
    DatasetReport report = new DatasetReport();
    Map<String, Path> imageGroups = groupFolders(imagesDir, report);
    Map<String, Path> maskGroups = groupFolders(masksDir, report);
    List<Group> groups = new ArrayList<>();
    List<DirectoryDataset.ImagePair> all = new ArrayList<>();
    for (Map.Entry<String, Path> e : imageGroups.entrySet()) {
      Path masks = maskGroups.get(e.getKey());
      if (masks == null) {
        report.skip(new Skip(e.getKey(), e.getValue(), SkipKind.UNPAIRED_GROUP,
            "group without masks: no folder " + masksDir.resolve(e.getKey())));
        continue;
      }
      List<DirectoryDataset.ImagePair> pairs = DirectoryDataset.pairGroup(e.getValue(), masks, e.getKey(), report);
      if (pairs.isEmpty()) {
        report.skip(new Skip(e.getKey(), e.getValue(), SkipKind.UNPAIRED_GROUP,
            "no image of the group has a mask in " + masks));
        continue;
      }
      groups.add(new Group(e.getKey(), pairs));
      all.addAll(pairs);
    }
    for (Map.Entry<String, Path> e : maskGroups.entrySet()) {
      if (!imageGroups.containsKey(e.getKey())) {
        report.skip(new Skip(e.getKey(), e.getValue(), SkipKind.UNPAIRED_GROUP,
            "masks without images: no folder " + imagesDir.resolve(e.getKey())));
      }
    }
    if (groups.isEmpty()) {
      throw new BadInputException(root, "no group holds an image with its mask" + expected + " ("
          + report.summary() + ")");
    }
    return new GroupDataset(groups, DirectoryDataset.ofPairs(root, all, report));
  }

  /** The groups that hold at least one pair, sorted by name. */
  public List<Group> groups() {
    return groups;
  }

  /** The live report of the scan and the loads. */
  public DatasetReport report() {
    return images.report();
  }

  /**
   * The images of {@code group} that load, in name order (each named {@code GROUP/NAME}); the others are counted
   * skips in the report.
   */
  public List<LabelledImage> load(Group group) {
    List<LabelledImage> out = new ArrayList<>(group.pairs().size());
    for (DirectoryDataset.ImagePair p : group.pairs()) {
      images.load(p).ifPresent(out::add);
    }
    return out;
  }

  /** The sub-folders of {@code dir} by name; plain files there are {@link SkipKind#UNPAIRED_GROUP} skips. */
  private static Map<String, Path> groupFolders(Path dir, DatasetReport report) {
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted().toList();
    } catch (IOException e) {
      throw new BadInputException(dir, "cannot list folder: " + e.getMessage(), e);
    }
    Map<String, Path> out = new TreeMap<>();
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (Files.isDirectory(p)) {
        out.put(name, p);
      } else {
        report.skip(new Skip(name, p, SkipKind.UNPAIRED_GROUP, "a file where group folders are expected"));
      }
    }
    return out;
  }
}
