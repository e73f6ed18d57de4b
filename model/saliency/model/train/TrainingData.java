package saliency.model.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import saliency.model.data.Augmentation;
import saliency.model.data.DataPosition;
import saliency.model.data.DirectoryDataset;
import saliency.model.data.EpochIterator;
import saliency.model.data.LabelledImage;
import saliency.model.data.SyntheticGroups;
import saliency.model.data.SyntheticScenes;
import saliency.model.image.Resizer;
import saliency.model.text.Task;

/**
 * A training stream and a fixed held-out set, from the built-in synthetic scenes or a DUTS-layout folder; owns the
 * held-out list and the training iterator (not thread-safe).
 */
public final class TrainingData {
  /** Seed of the fixed synthetic held-out scenes; independent of the run seed so every run sees the same scenes. */
  public static final long HELD_OUT_SEED = 0x5A11E7L;
  /** Seed of the folder dataset's train/held-out split. */
  public static final long SPLIT_SEED = 0L;

  private final String description;
  private final Iterator<Prepared> train;
  private final List<Prepared> heldOut;
  private final List<Prepared> trainExamples;
  private List<Prepared> validation = List.of();
  private saliency.model.data.DatasetReport report;
  private final LongPosition position;
  private ViewPool views = ViewPool.none();

  /** Where the training iterator is, for checkpoints (epoch and index; synthetic streams use index alone). */
  public interface LongPosition {
    DataPosition position();
  }

  private TrainingData(String description, Iterator<Prepared> train, List<Prepared> heldOut, LongPosition position) {
    this(description, train, heldOut, List.of(), position);
  }

  private TrainingData(String description, Iterator<Prepared> train, List<Prepared> heldOut,
      List<Prepared> trainExamples, LongPosition position) {
    this.trainExamples = List.copyOf(trainExamples);
    this.description = Objects.requireNonNull(description, "description");
    this.train = Objects.requireNonNull(train, "train");
    this.heldOut = List.copyOf(heldOut);
    this.position = Objects.requireNonNull(position, "position");
  }

  /**
   * Endless synthetic scenes seeded by {@code seed} for training, {@code heldOut} fixed scenes for evaluation. Scenes
   * are generated on the fly, so with the {@code mobilenet_v2} encoder every training scene costs one frozen feature
   * extraction (about 25 ms on one CPU core), which bounds training throughput.
   */
  public static TrainingData synthetic(ExampleEncoder encoder, long seed, int heldOut, DataPosition start) {
    return synthetic(encoder, seed, heldOut, start, TaskMix.sod());
  }

  /**
   * As {@link #synthetic(ExampleEncoder, long, int, DataPosition)} for the tasks of {@code tasks}: training scene
   * {@code i} asks for task {@code tasks.taskOf(seed, i)} and is drawn from that task's scenes
   * ({@link #syntheticScenes}; cosod prompts are members of {@link #syntheticGroups}); the held-out set holds
   * {@code heldOut} fixed scenes per task, task after task (cosod: whole groups, {@link #heldOutGroups}).
   */
  public static TrainingData synthetic(ExampleEncoder encoder, long seed, int heldOut, DataPosition start,
      TaskMix tasks) {
    Objects.requireNonNull(tasks, "tasks");
    int s = encoder.size();
    List<Prepared> held = new ArrayList<>(heldOut * tasks.tasks().size());
    for (Task task : tasks.tasks()) {
      if (task == Task.COSOD) {
        held.addAll(heldOutGroups(encoder, heldOut));
        continue;
      }
      SyntheticScenes eval = syntheticScenes(task, HELD_OUT_SEED, s);
      for (int i = 0; i < heldOut; i++) {
        held.add(encoder.prepare(eval.get(i), false, task));
      }
    }
    long trainSeed = seed == HELD_OUT_SEED ? seed + 1 : seed;
    java.util.Map<Task, SyntheticScenes> scenes = new java.util.EnumMap<>(Task.class);
    for (Task task : tasks.tasks()) {
      if (task != Task.COSOD) {
        scenes.put(task, syntheticScenes(task, trainSeed, s));
      }
    }
    SyntheticGroups groups = syntheticGroups(trainSeed, s);
    long[] cursor = {start.index()};
    Iterator<Prepared> it = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Prepared next() {
        long i = cursor[0]++;
        Task task = tasks.taskOf(trainSeed, i);
        if (task == Task.COSOD) { // member i mod G of group i: a pure function of the index, as scenes are
          List<Prepared> group = encoder.prepareGroup(groups.name(i), groups.get(i), true);
          return group.get((int) (i % group.size()));
        }
        return encoder.prepare(scenes.get(task).get(i), true, task);
      }
    };
    String what = tasks.sodOnly() ? "synthetic scenes (seed " + trainSeed + "), " + heldOut + " fixed held-out scenes"
        : "synthetic scenes of tasks " + tasks + " (seed " + trainSeed + "), " + heldOut
            + " fixed held-out scenes per task";
    return new TrainingData(what, it, held,
        () -> new DataPosition(0, (int) Math.min(Integer.MAX_VALUE, cursor[0])));
  }

  /**
   * The synthetic scenes of a task at {@code size x size}: SOD one salient object; SIS two or three salient
   * instances; COD one camouflaged object ({@link SyntheticScenes.Settings#camouflage()}); CoSOD has groups
   * instead ({@link #syntheticGroups}).
   */
  public static SyntheticScenes syntheticScenes(Task task, long seed, int size) {
    SyntheticScenes.Settings base = SyntheticScenes.Settings.defaults(seed).withSize(size, size);
    return new SyntheticScenes(switch (task) {
      case SOD -> base;
      case SIS -> base.withSalient(2, 3);
      case COD -> base.withCamouflage(true);
      default -> throw new IllegalArgumentException("no synthetic scenes for task " + task
          + " (cosod: syntheticGroups)");
    });
  }

  /** The synthetic CoSOD groups of {@link TrainSettings#COSOD_GROUP} images at {@code size x size}. */
  public static SyntheticGroups syntheticGroups(long seed, int size) {
    return new SyntheticGroups(SyntheticGroups.Settings.defaults(seed).withSize(size, size)
        .withGroupSize(TrainSettings.COSOD_GROUP));
  }

  /**
   * The fixed held-out CoSOD groups, whole: as many as hold at least {@code images} images (one at least), prepared
   * for task cosod with their group names.
   */
  public static List<Prepared> heldOutGroups(ExampleEncoder encoder, int images) {
    SyntheticGroups eval = syntheticGroups(HELD_OUT_SEED, encoder.size());
    int count = Math.max(1, (images + eval.settings().groupSize() - 1) / eval.settings().groupSize());
    List<Prepared> out = new ArrayList<>();
    for (int g = 0; g < count; g++) {
      out.addAll(encoder.prepareGroup(eval.name(g), eval.get(g), false));
    }
    return out;
  }

  /**
   * A DUTS-layout folder: its deterministic train split, loaded once at model resolution with SFT targets traced at
   * original resolution, shuffled per epoch; the held-out split (at most {@code maxHeldOut} images, 0 for all) at
   * original size.
   */
  public static TrainingData directory(ExampleEncoder encoder, Path root, long seed, int maxHeldOut, DataPosition start) {
    return directory(encoder, root, seed, maxHeldOut, start, 0);
  }

  /**
   * As {@link #directory(ExampleEncoder, Path, long, int, DataPosition)}, with about {@code validationShare} of the
   * training images (chosen by a hash of the stem, so the choice is stable) set aside as a validation set ({@link #validation()}; never
   * trained on, for choosing when to stop), 0 for none.
   */
  public static TrainingData directory(ExampleEncoder encoder, Path root, long seed, int maxHeldOut, DataPosition start,
      double validationShare) {
    return directory(encoder, root, seed, maxHeldOut, start, validationShare, Augmentation.Settings.off());
  }

  /** Side of the images augmented views are made from (the frozen encoder's input size). */
  public static final int VIEW_SIZE = 224;

  /**
   * As {@link #directory(ExampleEncoder, Path, long, int, DataPosition, double)}, with augmented views of the training
   * images ({@link ViewPool}, made once here from each image stretched to {@link #VIEW_SIZE}) mixed into the training
   * stream as {@code augment} says; validation and held-out images are never augmented.
   */
  public static TrainingData directory(ExampleEncoder encoder, Path root, long seed, int maxHeldOut, DataPosition start,
      double validationShare, Augmentation.Settings augment) {
    return directory(encoder, root, seed, maxHeldOut, start, validationShare, augment, 0, 1);
  }

  /**
   * As {@link #directory(ExampleEncoder, Path, long, int, DataPosition, double, Augmentation.Settings)}, training on
   * part {@code part} of {@code parts} only: the training images (validation set aside first, in the split's stem
   * order) whose index {@code i} has {@code i % parts == part}, and views of those alone. Parts 0..parts-1 are
   * disjoint and together cover the training images.
   */
  public static TrainingData directory(ExampleEncoder encoder, Path root, long seed, int maxHeldOut, DataPosition start,
      double validationShare, Augmentation.Settings augment, int part, int parts) {
    Objects.requireNonNull(augment, "augment");
    if (parts < 1 || part < 0 || part >= parts) {
      throw new IllegalArgumentException("part must be in [0, " + parts + "), got " + part);
    }
    if (!(validationShare >= 0 && validationShare < 0.5)) {
      throw new IllegalArgumentException("validation share must be in [0, 0.5), got " + validationShare);
    }
    DirectoryDataset ds = DirectoryDataset.scan(root);
    DirectoryDataset.Split split = ds.split(DirectoryDataset.DEFAULT_HELD_OUT, SPLIT_SEED);
    List<Prepared> train = new ArrayList<>();
    List<LabelledImage> sources = new ArrayList<>();
    Resizer viewSize = Resizer.stretch(VIEW_SIZE);
    for (DirectoryDataset.ImagePair pair : split.train()) {
      Optional<LabelledImage> li = ds.load(pair);
      if (li.isEmpty()) {
        continue;
      }
      train.add(encoder.prepareCompact(li.get(), true)); // keep only the model-resolution copy of training images
      if (augment.enabled() && !inValidation(li.get().name(), validationShare)) {
        sources.add(new LabelledImage(li.get().name(), viewSize.resize(li.get().image()).image(),
            viewSize.resizeMask(li.get().mask())));
      }
    }
    if (train.isEmpty()) {
      throw new IllegalArgumentException(root + ": no training pair could be loaded (" + ds.report().summary() + ")");
    }
    List<Prepared> held = new ArrayList<>();
    for (DirectoryDataset.ImagePair pair : split.heldOut()) {
      if (maxHeldOut > 0 && held.size() >= maxHeldOut) {
        break;
      }
      ds.load(pair).ifPresent(li -> held.add(encoder.prepare(li, false)));
    }
    List<Prepared> validation = new ArrayList<>();
    if (validationShare > 0) {
      List<Prepared> kept = new ArrayList<>();
      for (Prepared p : train) {
        boolean val = inValidation(p.original().name(), validationShare);
        (val ? validation : kept).add(p);
      }
      if (kept.isEmpty()) {
        kept = train;
        validation.clear();
      }
      train = kept;
    }
    if (validation.isEmpty() && validationShare > 0) {
      sources.clear(); // every image went back to training: views of them all would be a second, partial pool
    }
    if (parts > 1) {
      List<Prepared> mine = new ArrayList<>();
      for (int i = part; i < train.size(); i += parts) {
        mine.add(train.get(i));
      }
      if (mine.isEmpty()) {
        throw new IllegalArgumentException(root + ": part " + part + " of " + parts + " holds none of the "
            + train.size() + " training images");
      }
      java.util.Set<String> names = new java.util.HashSet<>();
      mine.forEach(p -> names.add(p.original().name()));
      sources.removeIf(li -> !names.contains(li.name()));
      train = mine;
    }
    ViewPool views = ViewPool.build(encoder, sources, augment, seed);
    sources.clear();
    EpochIterator<Prepared> order = new EpochIterator<>(train, seed, start);
    TrainingData td = new TrainingData(root + ": " + train.size() + " training"
        + (parts > 1 ? " (part " + part + " of " + parts + ")" : "") + ", "
        + (validationShare > 0 ? validation.size() + " validation (from the training split), " : "")
        + held.size() + " held-out images (" + ds.report().summary() + ")", views.mix(order, seed + start.epoch()
        * 1_000_003L + start.index()), held, train, order::position);
    td.validation = List.copyOf(validation);
    td.report = ds.report();
    td.views = views;
    return td;
  }

  /**
   * This data with every example (training stream, held-out and validation sets, fixed training examples) asked for
   * region task {@code task} (SOD or COD: the same ground truth and SFT targets, another prompt token); itself for SOD.
   *
   * @throws IllegalArgumentException for SIS or CoSOD, whose targets differ
   */
  public TrainingData asTask(Task task) {
    Objects.requireNonNull(task, "task");
    if (task == Task.SOD) {
      return this;
    }
    if (task != Task.COD) {
      throw new IllegalArgumentException("a folder's examples can be asked for sod or cod, not "
          + task.name().toLowerCase(java.util.Locale.ROOT));
    }
    java.util.function.UnaryOperator<Prepared> as = p -> new Prepared(p.original(), p.input(), p.modelMask(),
        p.target(), p.segmenterInput(), task);
    Iterator<Prepared> source = train;
    Iterator<Prepared> mapped = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public Prepared next() {
        return as.apply(source.next());
      }
    };
    TrainingData td = new TrainingData(description + ", task " + task.name().toLowerCase(java.util.Locale.ROOT),
        mapped, heldOut.stream().map(as).toList(), trainExamples.stream().map(as).toList(), position);
    td.validation = validation.stream().map(as).toList();
    td.report = report;
    td.views = views;
    return td;
  }

  public String description() {
    return description;
  }

  public Iterator<Prepared> train() {
    return train;
  }

  /** True when the training image named {@code stem} belongs to the validation set of {@code validationShare}. */
  public static boolean inValidation(String stem, double validationShare) {
    if (!(validationShare > 0)) {
      return false;
    }
    int every = (int) Math.round(1 / validationShare);
    return Math.floorMod(stem.hashCode() * 0x9E3779B1, every) == 0;
  }

  /** The folder's data report (pairs, loads, skips with their files), or null for synthetic scenes. */
  public saliency.model.data.DatasetReport report() {
    return report;
  }

  /** Training-split images set aside to choose when SFT stops; empty unless asked for. */
  public List<Prepared> validation() {
    return validation;
  }

  /** The augmented views mixed into {@link #train()} (none for synthetic scenes or with augmentation off). */
  public ViewPool views() {
    return views;
  }

  /** The fixed training examples of a folder dataset (empty for the endless synthetic stream). */
  public List<Prepared> trainExamples() {
    return trainExamples;
  }

  public List<Prepared> heldOut() {
    return heldOut;
  }

  public DataPosition position() {
    return position.position();
  }
}
