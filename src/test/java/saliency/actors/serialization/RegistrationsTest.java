package saliency.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registration list and digest a node carries into its join, and the join check that compares them. */
class RegistrationsTest {
  private static Config withExtra(String classes) {
    return ConfigFactory.parseString("saliency.serialization.extra-classes = [" + classes + "]")
        .withFallback(ConfigFactory.load());
  }

  @Test
  void listHasEveryRegistrationInIdOrderWithTheExtraClassesLast() {
    List<String> plain = Registrations.list(ConfigFactory.load());
    assertEquals("99 org.apache.pekko.actor.typed.ActorRef", plain.get(0));
    assertEquals("100 float[]", plain.get(1));
    assertTrue(plain.stream().anyMatch(l -> l.endsWith(" saliency.actors.cluster.NodeWorker$PrepareRun")), "" + plain);
    List<String> extra = Registrations.list(withExtra("java.lang.StringBuilder, java.util.UUID"));
    assertEquals(plain, extra.subList(0, plain.size()));
    assertEquals(List.of("1000 java.lang.StringBuilder", "1001 java.util.UUID"), extra.subList(plain.size(),
        extra.size()));
  }

  @Test
  void digestFollowsTheListAndIsCarriedInTheConfig() {
    Config c = Registrations.withRegistrations(ConfigFactory.load());
    List<String> list = c.getStringList(Registrations.LIST);
    assertEquals(Registrations.digest(list), c.getString(Registrations.DIGEST));
    assertEquals(64, c.getString(Registrations.DIGEST).length());
    assertNotEquals(Registrations.digest(list), Registrations.digest(Registrations.list(withExtra("java.util.UUID"))));
  }

  @Test
  void firstDifferenceNamesTheIdAndBothClasses() {
    List<String> here = List.of("99 a.Ref", "100 float[]", "101 x.Foo", "102 x.Bar");
    List<String> swapped = List.of("99 a.Ref", "100 float[]", "101 x.Bar", "102 x.Foo");
    assertEquals(Optional.empty(), Registrations.firstDifference(here, new ArrayList<>(here)));
    String d = Registrations.firstDifference(here, swapped).orElseThrow();
    assertTrue(d.startsWith("Kryo registrations differ at id 101: this node registers x.Foo, the joining node x.Bar"),
        d);
    String shorter = Registrations.firstDifference(here, here.subList(0, 3)).orElseThrow();
    assertTrue(shorter.contains("id 102: this node registers x.Bar, the joining node (none)"), shorter);
  }

  @Test
  void joinCheckRefusesAnotherListAndAMissingOne() {
    Config here = Registrations.withRegistrations(ConfigFactory.load());
    assertEquals(Optional.empty(), RegistrationJoinChecker.difference(here, here));
    Config other = Registrations.withRegistrations(withExtra("java.lang.StringBuilder"));
    String d = RegistrationJoinChecker.difference(other, here).orElseThrow();
    assertTrue(d.contains("id 1000: this node registers (none), the joining node java.lang.StringBuilder"), d);
    String missing = RegistrationJoinChecker.difference(ConfigFactory.empty(), here).orElseThrow();
    assertTrue(missing.contains(Registrations.LIST), missing);
    Config forged = here.withValue(Registrations.DIGEST, com.typesafe.config.ConfigValueFactory.fromAnyRef("00"));
    assertTrue(RegistrationJoinChecker.difference(forged, here).orElseThrow().contains("digest"));
  }
}
