package saliency.actors.serialization;

import java.util.Objects;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Serializes a message with the serializer Pekko would use remotely and fails when it would not fit one Artery frame;
 * stateless apart from the limit, safe to share between threads.
 *
 * <p>Artery drops an oversized message with only a log line at the sender; senders of large messages (gradient and
 * weight slices) call {@link #check(Object)} first so the failure reaches the caller as an exception.
 */
public final class MessageSizeGuard {
  private final Serialization serialization;
  private final int limit;
  private final boolean enabled;

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
    int size = serializedSize(message);
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
