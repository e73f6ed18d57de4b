package saliency.actors.serialization;

/**
 * Marker for every message that may cross nodes: bound to
 * {@link saliency.actors.serialization.kryo.KryoSerializer} in {@code application.conf}; it holds no state.
 */
public interface KryoSerializable {}
