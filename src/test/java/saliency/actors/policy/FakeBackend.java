package saliency.actors.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import saliency.streams.Completion;
import saliency.streams.GradientExample;
import saliency.streams.GradientResult;

/**
 * A policy backend of P plain floats: completion i of input x has tokens [len(x), i]; the gradient of a batch is the
 * sum of its advantages in every coordinate; records the thread of each call.
 */
public final class FakeBackend implements PolicyBackend<String> {
  final float[] weights;
  final AtomicInteger setSliceCalls = new AtomicInteger();
  volatile String lastThread = "";
  volatile boolean closed;
  /** Calls of sample / sampleBatch and of gradients. */
  final AtomicInteger sampleCalls = new AtomicInteger();
  final AtomicInteger gradientCalls = new AtomicInteger();
  /** When set, gradient calls wait for it (to hold requests queued at an actor). */
  volatile java.util.concurrent.CountDownLatch gradientGate;

  public FakeBackend(int parameterCount, float init) {
    weights = new float[parameterCount];
    java.util.Arrays.fill(weights, init);
  }

  @Override
  public int parameterCount() {
    return weights.length;
  }

  @Override
  public synchronized float[] flatWeights() {
    return weights.clone();
  }

  @Override
  public synchronized void setSlice(int offset, float[] values) {
    System.arraycopy(values, 0, weights, offset, values.length);
    setSliceCalls.incrementAndGet();
  }

  @Override
  public List<Completion> sample(String input, int count) {
    lastThread = Thread.currentThread().getName();
    sampleCalls.incrementAndGet();
    if (input.startsWith("bad")) {
      throw new IllegalArgumentException("cannot read image " + input);
    }
    List<Completion> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Completion(new int[] {input.length(), i}, input + "#" + i, new float[] {-0.5f, -0.5f}));
    }
    return out;
  }

  /** Greedy: input x gets tokens [len(x), 0]; an input starting with "bad" fails. */
  @Override
  public List<Completion> greedyBatch(List<String> inputs) {
    lastThread = Thread.currentThread().getName();
    List<Completion> out = new ArrayList<>();
    for (String input : inputs) {
      out.add(sample(input, 1).get(0));
    }
    return out;
  }

  @Override
  public float[][] score(String input, int[][] completions) {
    float[][] out = new float[completions.length][];
    for (int i = 0; i < completions.length; i++) {
      out[i] = new float[completions[i].length];
      java.util.Arrays.fill(out[i], -1f);
    }
    return out;
  }

  @Override
  public GradientResult gradients(List<GradientExample<String>> batch) {
    lastThread = Thread.currentThread().getName();
    gradientCalls.incrementAndGet();
    java.util.concurrent.CountDownLatch gate = gradientGate;
    if (gate != null) {
      try {
        gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    double sum = 0;
    for (GradientExample<String> e : batch) {
      sum += e.advantage();
    }
    float[] g = new float[weights.length];
    java.util.Arrays.fill(g, (float) sum);
    return new GradientResult(g, -sum);
  }

  @Override
  public void close() {
    closed = true;
  }
}
