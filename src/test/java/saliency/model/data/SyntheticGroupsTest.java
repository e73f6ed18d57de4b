package saliency.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import saliency.model.geometry.Mask;

/**
 * CoSOD groups: every image's mask holds the shared object, in the group's one colour; the distractors are in no mask
 * and have other colours; groups are pure functions of (settings, index).
 */
class SyntheticGroupsTest {

  @Test
  void everyMaskHoldsTheSharedObjectAndNoDistractor() {
    SyntheticGroups groups = new SyntheticGroups(SyntheticGroups.Settings.defaults(3L));
    int distractorsSeen = 0;
    for (int g = 0; g < 20; g++) {
      SyntheticGroups.Group group = groups.group(g);
      assertEquals(SyntheticGroups.Settings.DEFAULT_GROUP_SIZE, group.images().size());
      double[] first = CamouflageScenesTest.mean(group.images().get(0), group.images().get(0).mask());
      for (int k = 0; k < group.images().size(); k++) {
        LabelledImage li = group.images().get(k);
        assertEquals(groups.name(g) + "-" + k, li.name());
        assertTrue(li.mask().count() >= 4, li.name() + ": shared object of " + li.mask().count() + " pixels");
        assertEquals(List.of(li.mask()), li.instances());
        double[] colour = CamouflageScenesTest.mean(li, li.mask());
        assertTrue(dist(colour, first) < 0.12, li.name() + ": shared colour " + Arrays.toString(colour) + " vs "
            + Arrays.toString(first));
        List<Mask> distractors = group.distractors().get(k);
        assertTrue(distractors.size() <= 2);
        for (Mask d : distractors) {
          distractorsSeen++;
          assertTrue(d.count() > 0);
          assertEquals(0.0, d.iou(li.mask()), li.name() + ": a distractor overlaps the mask");
          double[] other = CamouflageScenesTest.mean(li, d);
          assertTrue(dist(other, colour) > 0.25, li.name() + ": distractor colour " + Arrays.toString(other)
              + " too close to the shared " + Arrays.toString(colour));
        }
      }
    }
    assertTrue(distractorsSeen >= 20 * 4, "at least one distractor per image: " + distractorsSeen);
  }

  @Test
  void groupsAreDeterministicAndDiffer() {
    SyntheticGroups.Settings s = SyntheticGroups.Settings.defaults(9L).withSize(32, 32).withGroupSize(3);
    List<LabelledImage> a = new SyntheticGroups(s).get(5);
    List<LabelledImage> b = new SyntheticGroups(s).get(5);
    assertEquals(3, a.size());
    for (int k = 0; k < a.size(); k++) {
      assertArrayEquals(a.get(k).image().rgb(), b.get(k).image().rgb());
      assertArrayEquals(a.get(k).mask().bits(), b.get(k).mask().bits());
      assertEquals(32, a.get(k).image().width());
    }
    assertFalse(Arrays.equals(a.get(0).image().rgb(), new SyntheticGroups(s).get(6).get(0).image().rgb()));
    assertFalse(Arrays.equals(a.get(0).mask().bits(), a.get(1).mask().bits()), "the shared object moves");
  }

  private static double dist(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < 3; k++) {
      s += (a[k] - b[k]) * (a[k] - b[k]);
    }
    return Math.sqrt(s);
  }
}
