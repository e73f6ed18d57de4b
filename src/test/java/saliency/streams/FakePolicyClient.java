package saliency.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A policy client that answers at once: completion i of prompt x has tokens [len(x), i]; counts its calls. */
final class FakePolicyClient implements PolicyClient<String> {
  final int parameterCount;
  final AtomicReference<PolicyVersion> version;
  final AtomicInteger sampleCalls = new AtomicInteger();
  final AtomicInteger gradientCalls = new AtomicInteger();
  final AtomicInteger batchCalls = new AtomicInteger();
  final List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
  final List<List<GradientExample<String>>> gradientBatches = new java.util.concurrent.CopyOnWriteArrayList<>();
  volatile String failOn;

  FakePolicyClient(int parameterCount, PolicyVersion version) {
    this.parameterCount = parameterCount;
    this.version = new AtomicReference<>(version);
  }

  @Override
  public CompletionStage<Sampled> sample(String input, int count) {
    sampleCalls.incrementAndGet();
    if (input.equals(failOn)) {
      return CompletableFuture.failedFuture(new IllegalStateException("fake policy failure on " + input));
    }
    List<Completion> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Completion(new int[] {input.length(), i}, input + "#" + i, new float[] {-0.5f, -0.25f}));
    }
    return CompletableFuture.completedFuture(new Sampled(out, version.get()));
  }

  @Override
  public CompletionStage<List<Sampled>> sampleBatch(List<String> inputs, int count) {
    batchCalls.incrementAndGet();
    batchSizes.add(inputs.size());
    List<Sampled> out = new ArrayList<>();
    for (String x : inputs) {
      out.add(sample(x, count).toCompletableFuture().join());
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public CompletionStage<GradientResult> gradients(List<GradientExample<String>> batch) {
    gradientCalls.incrementAndGet();
    gradientBatches.add(List.copyOf(batch));
    float[] g = new float[parameterCount];
    double sum = 0;
    for (GradientExample<String> e : batch) {
      sum += e.advantage();
    }
    java.util.Arrays.fill(g, (float) sum);
    return CompletableFuture.completedFuture(new GradientResult(g, -sum));
  }
}
