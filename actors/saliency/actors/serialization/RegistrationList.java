package saliency.actors.serialization;

import com.typesafe.config.Config;
import java.util.SortedMap;

/**
 * The class registrations of the cluster's serializer, as a service ({@code META-INF/services}) so that node start-up
 * can describe them without depending on the serializer's package; implementations are stateless.
 */
public interface RegistrationList {
  /** Registration id to class name, for a node with {@code config} (which names any extra classes). */
  SortedMap<Integer, String> registrations(Config config);
}
