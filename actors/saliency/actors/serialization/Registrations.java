package saliency.actors.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A node's serializer registrations as config values, so that they travel with a join request and a node whose list
 * differs is refused ({@link RegistrationJoinChecker}): {@value #LIST} holds {@code "ID CLASS"} in id order and
 * {@value #DIGEST} its SHA-256. Stateless.
 */
public final class Registrations {
  /** Config path of the registration list, {@code "ID CLASS"} in id order. */
  public static final String LIST = "saliency.serialization.registrations";
  /** Config path of the SHA-256 (hex) of the list. */
  public static final String DIGEST = "saliency.serialization.registration-digest";

  private Registrations() {}

  /** {@code config} with this node's registration list and digest added. */
  public static Config withRegistrations(Config config) {
    List<String> list = list(config);
    return config.withValue(LIST, ConfigValueFactory.fromIterable(list))
        .withValue(DIGEST, ConfigValueFactory.fromAnyRef(digest(list)));
  }

  /** The registrations of a node with {@code config}: {@code "ID CLASS"} in id order. */
  public static List<String> list(Config config) {
    Objects.requireNonNull(config, "config");
    List<String> out = new ArrayList<>();
    for (RegistrationList provider : ServiceLoader.load(RegistrationList.class, Registrations.class.getClassLoader())) {
      for (Map.Entry<Integer, String> e : provider.registrations(config).entrySet()) {
        out.add(e.getKey() + " " + e.getValue());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no " + RegistrationList.class.getName() + " service on the class path");
    }
    return out;
  }

  /** SHA-256 of the list's lines, hex. */
  public static String digest(List<String> list) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String s : list) {
        sha.update(s.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Empty when the lists are equal, else a sentence naming the first differing registration: its id and the class
   * each side registers there ({@code (none)} where a list ends).
   */
  public static Optional<String> firstDifference(List<String> here, List<String> joining) {
    for (int i = 0; i < Math.max(here.size(), joining.size()); i++) {
      String a = i < here.size() ? here.get(i) : null;
      String b = i < joining.size() ? joining.get(i) : null;
      if (!Objects.equals(a, b)) {
        String id = a != null && b != null && !id(a).equals(id(b))
            ? "the " + (i + 1) + "th registration (id " + id(a) + " here, " + id(b) + " there)"
            : "id " + id(a != null ? a : b);
        return Optional.of("Kryo registrations differ at " + id + ": this node registers " + name(a)
            + ", the joining node " + name(b) + "; every node must run the same build with the same "
            + "saliency.serialization.extra-classes");
      }
    }
    return Optional.empty();
  }

  private static String id(String entry) {
    int space = entry.indexOf(' ');
    return space < 0 ? entry : entry.substring(0, space);
  }

  private static String name(String entry) {
    if (entry == null) {
      return "(none)";
    }
    int space = entry.indexOf(' ');
    return space < 0 ? entry : entry.substring(space + 1);
  }
}
