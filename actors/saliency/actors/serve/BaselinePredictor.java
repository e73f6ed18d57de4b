package saliency.actors.serve;

import java.io.IOException;
import java.util.Objects;
import saliency.model.data.CenterPrior;
import saliency.model.tfjs.SelfieSegmenter;
import saliency.model.tfjs.WeightsLocation;
import saliency.model.video.VideoFrame;
import saliency.streams.video.FrameAnswer;
import saliency.streams.video.FramePredictor;

/**
 * The saliency map of a baseline for each frame, with no text: the centre prior, or the zero-shot selfie segmenter
 * (which owns a TensorFlow session); one thread at a time, and close it.
 */
public final class BaselinePredictor implements FramePredictor.Blocking, AutoCloseable {
  private final CenterPrior prior;
  private final SelfieSegmenter selfie;
  private double[] lastPrior;
  private int lastWidth;
  private int lastHeight;

  private BaselinePredictor(CenterPrior prior, SelfieSegmenter selfie) {
    this.prior = prior;
    this.selfie = selfie;
  }

  /**
   * The baseline named {@code name} ({@code centre-prior}, {@code center-prior} or {@code selfie}).
   *
   * @throws IllegalArgumentException for another name
   * @throws IOException when the selfie weights cannot be read
   */
  public static BaselinePredictor open(String name, int threads) throws IOException {
    Objects.requireNonNull(name, "name");
    return switch (name) {
      case "centre-prior", "center-prior" -> new BaselinePredictor(CenterPrior.standard(), null);
      case "selfie" -> new BaselinePredictor(null, SelfieSegmenter.open(WeightsLocation.root(), threads));
      default -> throw new IllegalArgumentException("--baseline must be centre-prior or selfie, got '" + name + "'");
    };
  }

  @Override
  public FrameAnswer predict(VideoFrame frame) {
    if (selfie != null) {
      return new FrameAnswer(null, selfie.segment(frame.image()));
    }
    if (lastPrior == null || lastWidth != frame.width() || lastHeight != frame.height()) {
      lastPrior = prior.map(frame.width(), frame.height());
      lastWidth = frame.width();
      lastHeight = frame.height();
    }
    return new FrameAnswer(null, lastPrior.clone());
  }

  @Override
  public void close() {
    if (selfie != null) {
      selfie.close();
    }
  }
}
