package saliency.actors.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.Pool;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;
import saliency.actors.serialization.KryoSerializable;

/**
 * Pekko serializer for {@link KryoSerializable} messages: Kryo 5 with class registration required and a fixed
 * registration order ({@link KryoRegistrations}); owns a pool of Kryo instances (Kryo is not thread-safe).
 *
 * <p>Typed {@link ActorRef}s travel as their serialization-format path string and are resolved with
 * {@link ActorRefResolver} on the receiving node. A class that is not registered fails serialization (sender) or
 * deserialization (receiver) with an error naming it; no class is ever instantiated by name from the wire.
 */
public final class KryoSerializer extends JSerializer {
  /** Serializer identifier; unique among the serializers of the system (Pekko reserves 0 to 40). */
  public static final int IDENTIFIER = 572_011;

  private final ExtendedActorSystem system;
  private final List<Class<?>> extraClasses;
  private volatile ActorRefResolver resolver;
  private final Pool<Kryo> pool;

  public KryoSerializer(ExtendedActorSystem system) {
    this.system = Objects.requireNonNull(system, "system");
    this.extraClasses = KryoRegistrations.extraClasses(system.settings().config());
    this.pool =
        new Pool<>(true, false, 16) {
          @Override
          protected Kryo create() {
            return newKryo();
          }
        };
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      // resolved lazily: serializers are created while the system starts, before the typed view is complete
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }

  private Kryo newKryo() {
    Kryo kryo = new Kryo(new ActorRefClassResolver(), null);
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    kryo.register(ActorRef.class, new ActorRefSerializer(), KryoRegistrations.ACTOR_REF_ID);
    int id = KryoRegistrations.FIRST_ID;
    for (Class<?> c : KryoRegistrations.builtIn()) {
      kryo.register(c, id++);
    }
    id = KryoRegistrations.FIRST_EXTRA_ID;
    for (Class<?> c : extraClasses) {
      kryo.register(c, id++);
    }
    return kryo;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    Kryo kryo = pool.obtain();
    try (Output out = new Output(1024, -1)) {
      kryo.writeClassAndObject(out, o);
      return out.toBytes();
    } finally {
      pool.free(kryo);
    }
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    Kryo kryo = pool.obtain();
    try (Input in = new Input(bytes)) {
      return kryo.readClassAndObject(in);
    } finally {
      pool.free(kryo);
    }
  }

  /** Maps every concrete typed ActorRef class to the one registration of the {@link ActorRef} interface. */
  private static final class ActorRefClassResolver extends DefaultClassResolver {
    @Override
    public Registration getRegistration(Class type) {
      Registration r = super.getRegistration(type);
      if (r == null && type != null && ActorRef.class.isAssignableFrom(type)) {
        return super.getRegistration(ActorRef.class);
      }
      return r;
    }
  }

  /** Writes a typed ActorRef as its path string and resolves it on read. */
  private final class ActorRefSerializer extends Serializer<ActorRef<?>> {
    ActorRefSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, ActorRef<?> ref) {
      output.writeString(resolver().toSerializationFormat(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
      return resolver().resolveActorRef(input.readString());
    }
  }
}
