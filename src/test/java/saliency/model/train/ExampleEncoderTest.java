package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import saliency.model.data.LabelledImage;
import saliency.model.data.SyntheticScenes;
import saliency.model.geometry.Mask;
import saliency.model.geometry.PolygonRasterizer;
import saliency.model.text.Answer;
import saliency.model.text.InstanceOrder;
import saliency.model.text.ParseResult;

class ExampleEncoderTest {
  @Test
  void sftTargetsDecodeToValidPolygonsThatCoverTheGroundTruth() {
    ExampleEncoder enc = new ExampleEncoder(TrainSettings.defaults());
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(3));
    double iouSum = 0;
    int n = 200;
    int valid = 0;
    for (int i = 0; i < n; i++) {
      LabelledImage li = scenes.get(i);
      Prepared p = enc.prepare(li, true);
      assertNotNull(p.target(), li.name());
      ParseResult r = enc.decode(p.target());
      assertTrue(r.isParsed(), li.name() + ": " + r);
      valid += r.formatOk() ? 1 : 0;
      Mask m = ExampleEncoder.render(r, 64, 64);
      iouSum += m.iou(li.mask());
    }
    assertTrue(valid >= n * 0.97, "valid targets " + valid + "/" + n);
    assertTrue(iouSum / n > 0.85, "mean IoU of SFT targets " + iouSum / n);
  }

  @Test
  void instanceTargetsListTheInstancesLargestFirst() {
    ExampleEncoder enc = new ExampleEncoder(TrainSettings.defaults());
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(5).withSalient(2, 3));
    for (int i = 0; i < 40; i++) {
      LabelledImage li = scenes.get(i);
      int[] ids = enc.instanceTarget(li.instances());
      assertNotNull(ids, li.name());
      Answer.Instances a = assertInstanceOf(Answer.Instances.class, enc.decode(ids).toOptional().orElseThrow());
      List<Mask> order = InstanceOrder.sorted(li.instances());
      // what fits in max-len (40 tokens: often one polygon) is a prefix of the order, the largest instance first
      assertTrue(a.instances().size() >= 1 && a.instances().size() <= order.size(), li.name());
      for (int k = 0; k < a.instances().size(); k++) {
        Mask drawn = PolygonRasterizer.rasterize(a.instances().get(k), 64, 64);
        assertTrue(drawn.iou(order.get(k)) > 0.5, li.name() + " instance " + k + ": IoU " + drawn.iou(order.get(k)));
      }
    }
  }

  @Test
  void aLabelledFrameKeepsItsInputsAndGetsTheLabelAtModelResolution() {
    ExampleEncoder enc = new ExampleEncoder(TrainSettings.defaults());
    SyntheticScenes scenes = new SyntheticScenes(SyntheticScenes.Settings.defaults(9).withSize(90, 70));
    LabelledImage scene = scenes.next();
    LabelledImage unlabelled = new LabelledImage(scene.name(), scene.image(),
        new Mask(90, 70));
    Prepared served = enc.prepareFrames(List.of(unlabelled)).get(0);
    Prepared learned = enc.withLabel(served, scene.mask());
    Prepared direct = enc.prepareFrames(List.of(scene)).get(0);
    org.junit.jupiter.api.Assertions.assertSame(served.input(), learned.input(), "the input is not computed again");
    org.junit.jupiter.api.Assertions.assertArrayEquals(direct.input(), learned.input());
    org.junit.jupiter.api.Assertions.assertArrayEquals(direct.modelMask().bits(), learned.modelMask().bits(),
        "the label at model resolution, as a labelled frame prepared directly");
    org.junit.jupiter.api.Assertions.assertSame(scene.mask(), learned.original().mask());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> enc.withLabel(served, new Mask(70, 90)));
  }
}
