package saliency.actors.serialization.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;

/**
 * Kryo's object-array serializer with the declared length checked against the bytes left in the frame (every element
 * takes at least one byte) before the array is allocated; as thread-safe as its Kryo.
 */
final class BoundedObjectArraySerializer extends ObjectArraySerializer {
  BoundedObjectArraySerializer(Kryo kryo, Class<?> type) {
    super(kryo, type);
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Object[] read(Kryo kryo, Input input, Class type) {
    if (input instanceof BoundedInput bounded) {
      int start = bounded.position();
      int length = bounded.readVarInt(true); // 0: null, else elements + 1
      bounded.setPosition(start);
      bounded.checkLength(Math.max(0, length - 1L), 1, 8, "array elements");
    }
    return super.read(kryo, input, type);
  }
}
