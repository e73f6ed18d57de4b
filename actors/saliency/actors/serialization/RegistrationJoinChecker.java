package saliency.actors.serialization;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.cluster.ConfigValidation;
import org.apache.pekko.cluster.Invalid;
import org.apache.pekko.cluster.JoinConfigCompatChecker;
import org.apache.pekko.cluster.Valid$;
import org.slf4j.LoggerFactory;

/**
 * Refuses a node that joins with a serializer registration list other than this node's (Pekko's join-time
 * configuration check, enabled in {@code multi-node.conf}); the error names the first differing registration.
 * Stateless; Pekko creates one per node.
 */
public final class RegistrationJoinChecker extends JoinConfigCompatChecker {

  public RegistrationJoinChecker() {}

  @Override
  public scala.collection.immutable.Seq<String> requiredKeys() {
    return seq(List.of(Registrations.LIST, Registrations.DIGEST));
  }

  @Override
  public ConfigValidation check(Config toCheck, Config actualConfig) {
    Optional<String> error = difference(toCheck, actualConfig);
    error.ifPresent(e -> LoggerFactory.getLogger(RegistrationJoinChecker.class).error("refused a joining node: {}", e));
    return error.<ConfigValidation>map(e -> new Invalid(seq(List.of(e)))).orElse(Valid$.MODULE$);
  }

  /** Why a node with {@code joining} config may not join this node ({@code here}), or empty when it may. */
  static Optional<String> difference(Config joining, Config here) {
    if (!joining.hasPath(Registrations.LIST) || !joining.hasPath(Registrations.DIGEST)) {
      return Optional.of("the joining node sent no Kryo registration list (" + Registrations.LIST + "); start it "
          + "with the node command or train --cluster of the same build");
    }
    List<String> mine = here.hasPath(Registrations.LIST) ? here.getStringList(Registrations.LIST)
        : Registrations.list(here);
    List<String> theirs = joining.getStringList(Registrations.LIST);
    Optional<String> diff = Registrations.firstDifference(mine, theirs);
    if (diff.isEmpty() && !Registrations.digest(theirs).equals(joining.getString(Registrations.DIGEST))) {
      return Optional.of("the joining node's Kryo registration digest does not match its list");
    }
    return diff;
  }

  private static scala.collection.immutable.Seq<String> seq(List<String> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
  }
}
