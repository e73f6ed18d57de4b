package saliency.model.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;

/**
 * Writes the policy graph and the current weights of a session as a SavedModel with a {@code sample} and a
 * {@code score} signature; holds no state, the graph and session stay {@link PolicyNetwork}'s.
 */
final class SavedModelExport {

  private final PolicyGraph graph;
  private final Session session;

  SavedModelExport(PolicyGraph graph, Session session) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.session = Objects.requireNonNull(session, "session");
  }

  /** See {@link PolicyNetwork#exportSavedModel(Path)}. */
  void export(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException("SavedModel directory is not empty: " + dir);
        }
      }
    }
    Signature sampleSig =
        Signature.builder(PolicyNetwork.SAMPLE_SIGNATURE)
            .input(PolicyGraph.IMAGES, graph.images)
            .input(PolicyGraph.PROMPTS, graph.prompts)
            .input(PolicyGraph.TEMPERATURE, graph.temperature)
            .input(PolicyGraph.NOISE_SCALE, graph.noiseScale)
            .input(PolicyGraph.SEED, graph.seed)
            .output("tokens", graph.sampled.tokens())
            .output("token_logp", graph.sampled.tokenLogp())
            .build();
    Signature scoreSig =
        Signature.builder(PolicyNetwork.SCORE_SIGNATURE)
            .input(PolicyGraph.IMAGES, graph.images)
            .input(PolicyGraph.PROMPTS, graph.prompts)
            .input(PolicyGraph.TARGETS, graph.targets)
            .input(PolicyGraph.MASK, graph.mask)
            .output("token_logp", graph.scoring.tokenLogp())
            .output("sum_logp", graph.scoring.sumLogp())
            .output("mean_logp", graph.scoring.meanLogp())
            .build();
    SavedModelBundle.exporter(dir.toString()).withSession(session).withSignatures(sampleSig, scoreSig).export();
  }
}
