package saliency.actors.serialization.kryo;

import com.typesafe.config.Config;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import saliency.actors.serialization.RegistrationList;

/** The Kryo serializer's registrations as a {@link RegistrationList} service: ids as {@link KryoSerializer} uses them. */
public final class KryoRegistrationList implements RegistrationList {

  public KryoRegistrationList() {}

  @Override
  public SortedMap<Integer, String> registrations(Config config) {
    SortedMap<Integer, String> out = new TreeMap<>();
    out.put(KryoRegistrations.ACTOR_REF_ID, ActorRef.class.getName());
    KryoRegistrations.byId(KryoRegistrations.extraClasses(config)).forEach((id, c) -> out.put(id, c.getTypeName()));
    return out;
  }
}
