package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import saliency.model.data.LabelledImage;
import saliency.model.data.SyntheticScenes;
import saliency.model.geometry.Mask;
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
}
