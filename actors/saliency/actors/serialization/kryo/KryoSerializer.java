package saliency.actors.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.Pool;
import java.io.NotSerializableException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAccumulator;
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
 *
 * <p>Reading is bounded by the frame: every length read from the wire (arrays, strings) is checked against the bytes
 * left before anything is allocated ({@link BoundedInput}), and nesting is limited to {@link #MAX_DEPTH}. A frame that
 * fails any check, or does not decode, is a {@link NotSerializableException}, which Artery logs with the sender's
 * address before dropping the message; it never stops the node.
 */
public final class KryoSerializer extends JSerializer {
  /** Serializer identifier; unique among the serializers of the system (Pekko reserves 0 to 40). */
  public static final int IDENTIFIER = 572_011;
  /** Deepest nesting of objects a frame may declare (the messages nest a few levels). */
  static final int MAX_DEPTH = 32;

  private final ExtendedActorSystem system;
  private final List<Class<?>> extraClasses;
  private volatile ActorRefResolver resolver;
  private final Pool<Kryo> pool;
  private final LongAccumulator largestAllocation = new LongAccumulator(Math::max, 0);

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
    kryo.setMaxDepth(MAX_DEPTH);
    kryo.register(ActorRef.class, new ActorRefSerializer(), KryoRegistrations.ACTOR_REF_ID);
    KryoRegistrations.byId(extraClasses).forEach((id, c) -> register(kryo, c, id));
    return kryo;
  }

  /** Registers {@code c}; arrays of objects get the length-checking serializer. */
  private static void register(Kryo kryo, Class<?> c, int id) {
    if (c.isArray() && !c.getComponentType().isPrimitive()) {
      kryo.register(c, new BoundedObjectArraySerializer(kryo, c), id);
    } else {
      kryo.register(c, id);
    }
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

  /**
   * Reads one message from a received frame; a frame that does not decode within its own bytes throws
   * {@link NotSerializableException} (declared by Pekko's {@code fromBinary}, which this method backs).
   */
  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    Kryo kryo = pool.obtain();
    BoundedInput in = new BoundedInput(bytes);
    try {
      Object o = kryo.readClassAndObject(in);
      if (in.remaining() != 0) {
        throw new NotSerializableException("bad Kryo frame: " + in.remaining() + " of " + bytes.length
            + " bytes left after " + (o == null ? "null" : o.getClass().getName()));
      }
      return o;
    } catch (NotSerializableException e) {
      throw sneaky(e);
    } catch (RuntimeException e) {
      NotSerializableException n = new NotSerializableException("bad Kryo frame of " + bytes.length + " bytes: " + e);
      n.initCause(e);
      throw sneaky(n);
    } finally {
      largestAllocation.accumulate(in.largestAllocation());
      kryo.reset(); // a failed read may leave the depth and generics state of the pooled instance behind
      pool.free(kryo);
    }
  }

  /** The largest array, in bytes, any read of this serializer allowed (for tests and diagnostics). */
  long largestAllocation() {
    return largestAllocation.get();
  }

  /** Throws a checked exception that Pekko's {@code fromBinary} declares but {@code fromBinaryJava} cannot. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
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
      return resolver().resolveActorRef(checkedPath(input.readString()));
    }
  }

  /** Longest actor path accepted from the wire. */
  static final int MAX_ACTOR_PATH = 1024;

  /**
   * An actor path read from the wire, checked before Pekko resolves it: printable ASCII, starting with
   * {@code pekko:}, at most {@link #MAX_ACTOR_PATH} characters. Pekko hashes the path through {@code Unsafe}, and a
   * mangled one (other characters, a null) crashed the JVM in the fuzz tests, so anything else is refused as a
   * {@link KryoException} (a bad frame).
   */
  static String checkedPath(String path) {
    if (path == null || path.length() > MAX_ACTOR_PATH || !path.startsWith("pekko:")) {
      throw new KryoException("not an actor path: " + (path == null ? "null"
          : "'" + path.substring(0, Math.min(40, path.length())) + "'"));
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new KryoException("actor path with a non-printable or non-ASCII character at " + i);
      }
    }
    return path;
  }
}
