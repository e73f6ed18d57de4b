package saliency.actors.serialization;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Serializes a message with the serializer Pekko would use remotely and fails when it would not fit one Artery frame;
 * holds the limit and the measured sizes of {@link FixedShape} messages, safe to share between threads.
 *
 * <p>Artery drops an oversized message with only a log line at the sender; senders of large messages (gradient and
 * weight slices) call {@link #check(Object)} first so the failure reaches the caller as an exception. A
 * {@link FixedShape} message is serialized once per class and shape; later ones of that shape are passed on the
 * measured size plus {@link #VARIABLE_BYTES}, and serialized again only when that sum would not fit.
 */
public final class MessageSizeGuard {
  /**
   * Bytes a message of one shape may grow by between two instances: Kryo writes ints and longs as 1-9 byte varints,
   * and the slice messages hold at most four such numbers.
   */
  public static final int VARIABLE_BYTES = 36;

  /**
   * A message whose serialized size is set by its class and {@link #shapeKey()} (for example the length of its float
   * array) up to {@link #VARIABLE_BYTES}; every field it serializes besides the keyed array must be a number or null.
   */
  public interface FixedShape {
    /** The length that fixes the serialized size (e.g. the number of floats carried), or -1 when nothing fixes it. */
    int shapeKey();
  }

  private record Shape(Class<?> type, int key) {}

  private final Serialization serialization;
  private final int limit;
  private final boolean enabled;
  private final Map<Shape, Integer> measured = new ConcurrentHashMap<>();

  /**
   * @param limit the largest allowed serialized size in bytes (frame size minus envelope headroom)
   * @param enabled when false, {@link #check(Object)} returns -1 without serializing
   */
  public MessageSizeGuard(ActorSystem<?> system, int limit, boolean enabled) {
    Objects.requireNonNull(system, "system");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0: " + limit);
    }
    this.serialization = SerializationExtension.get(Adapter.toClassic(system));
    this.limit = limit;
    this.enabled = enabled;
  }

  /** Returns the serialized size of {@code message}, or throws {@link OversizedMessageException} when over the limit. */
  public int check(Object message) {
    Objects.requireNonNull(message, "message");
    if (!enabled) {
      return -1;
    }
    Shape shape = message instanceof FixedShape f && f.shapeKey() >= 0 ? new Shape(message.getClass(), f.shapeKey())
        : null;
    Integer known = shape == null ? null : measured.get(shape);
    if (known != null && known + VARIABLE_BYTES <= limit) {
      return known;
    }
    int size = serializedSize(message);
    if (shape != null) {
      measured.merge(shape, size, Math::max);
    }
    if (size > limit) {
      throw new OversizedMessageException(message.getClass().getName(), size, limit);
    }
    return size;
  }

  /** Serialized size in bytes with the bound serializer (always serializes). */
  public int serializedSize(Object message) {
    return serialization.findSerializerFor(message).toBinary(message).length;
  }

  public int limit() {
    return limit;
  }
}
