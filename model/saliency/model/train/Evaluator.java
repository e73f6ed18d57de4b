package saliency.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import saliency.model.geometry.Mask;
import saliency.model.metrics.SodMetrics;
import saliency.model.metrics.SodResults;
import saliency.model.policy.PolicyNetwork;
import saliency.model.text.ParseResult;

/**
 * Evaluates a policy on held-out examples at their original size: greedy IoU, sampled IoU, and the PySODMetrics figures
 * of the mean of K sampled masks; stateless apart from its settings.
 */
public final class Evaluator {
  private static final int BATCH = 32;

  private final ExampleEncoder encoder;
  private final int samples;

  /** @param samples K, the sampled masks averaged into each saliency map (1: the greedy mask alone) */
  public Evaluator(ExampleEncoder encoder, int samples) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be >= 1, got " + samples);
    }
    this.samples = samples;
  }

  /** Evaluates {@code net} on {@code heldOut}; sampling is seeded by {@code seed}. */
  public EvalResult evaluate(PolicyNetwork net, List<Prepared> heldOut, long seed) {
    return evaluate(net, heldOut, seed, (p, map) -> {});
  }

  /**
   * As {@link #evaluate(PolicyNetwork, List, long)}, handing each image's saliency map ({@code W x H} values in [0,1]:
   * the mean of K sampled masks, or the greedy mask when K = 1) to {@code mapSink}.
   */
  public EvalResult evaluate(PolicyNetwork net, List<Prepared> heldOut, long seed, BiConsumer<Prepared, double[]> mapSink) {
    SodMetrics metrics = new SodMetrics();
    double greedyIoU = 0;
    double sampledIoU = 0;
    int formatOk = 0;
    long vertices = 0;
    for (int from = 0; from < heldOut.size(); from += BATCH) {
      List<Prepared> batch = heldOut.subList(from, Math.min(heldOut.size(), from + BATCH));
      int n = batch.size();
      float[] images = ExampleEncoder.stack(batch);
      int[] prompts = Prepared.promptTokens(batch);
      PolicyNetwork.Samples greedy = net.sample(images, n, prompts, 1.0, true, seed);
      List<double[]> maps = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Mask gt = batch.get(i).original().mask();
        ParseResult r = encoder.decode(greedy.tokens()[i]);
        double[] soft = encoder.map(batch.get(i), r, gt.width(), gt.height());
        greedyIoU += ExampleEncoder.threshold(soft, gt.width(), gt.height()).iou(gt);
        formatOk += TaskRewards.formatOk(batch.get(i).task(), r) ? 1 : 0;
        vertices += ExampleEncoder.vertices(r);
        maps.add(samples == 1 ? soft : new double[gt.width() * gt.height()]);
      }
      if (samples > 1) {
        for (int k = 0; k < samples; k++) {
          PolicyNetwork.Samples s = net.sample(images, n, prompts, 1.0, false, seed * 31 + 1000L * from + k + 1);
          for (int i = 0; i < n; i++) {
            Mask gt = batch.get(i).original().mask();
            double[] soft = encoder.map(batch.get(i), encoder.decode(s.tokens()[i]), gt.width(), gt.height());
            sampledIoU += ExampleEncoder.threshold(soft, gt.width(), gt.height()).iou(gt);
            double[] acc = maps.get(i);
            for (int j = 0; j < acc.length; j++) {
              acc[j] += soft[j] / samples;
            }
          }
        }
      }
      for (int i = 0; i < n; i++) {
        Prepared p = batch.get(i);
        double[] map = maps.get(i);
        double[] scaled = new double[map.length];
        for (int j = 0; j < map.length; j++) {
          scaled[j] = Math.rint(map[j] * 255);
        }
        metrics.add(scaled, p.original().mask().bits(), p.original().mask().width(), p.original().mask().height());
        mapSink.accept(p, map);
      }
    }
    int total = heldOut.size();
    if (total == 0) {
      return new EvalResult(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    SodResults r = metrics.results();
    return new EvalResult(
        greedyIoU / total,
        samples > 1 ? sampledIoU / (total * (double) samples) : greedyIoU / total,
        r.sMeasure(), r.mae(), r.maxFm(), formatOk / (double) total, vertices / (double) total, total);
  }
}
