package saliency.actors.serialization.kryo;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo {@link Input} over one received frame that refuses any length read from the wire whose data could not fit in
 * the bytes left, before the array for it is allocated; not thread-safe (one per deserialization).
 *
 * <p>Every array read checks {@code length * (smallest encoded size of one element) <= bytes left}, so no allocation
 * is larger than a small multiple of the frame size however the length fields are forged. Records the largest array
 * (in bytes) it allowed.
 */
final class BoundedInput extends Input {
  private long largestAllocation;

  BoundedInput(byte[] frame) {
    super(frame);
  }

  /** Bytes of the frame not yet read. */
  int remaining() {
    return limit - position;
  }

  /** The largest array, in bytes of memory, this input allowed so far. */
  long largestAllocation() {
    return largestAllocation;
  }

  /**
   * Refuses {@code length} elements of at least {@code wireBytes} encoded bytes each when they cannot fit in what is
   * left of the frame; {@code memoryBytes} is the size of one element in memory (for the record of allocations).
   */
  void checkLength(long length, int wireBytes, int memoryBytes, String what) {
    if (length < 0 || length * wireBytes > remaining()) {
      throw new KryoException("frame declares " + length + " " + what + " but has only " + remaining()
          + " bytes left");
    }
    largestAllocation = Math.max(largestAllocation, length * memoryBytes);
  }

  @Override
  public byte[] readBytes(int length) {
    checkLength(length, 1, 1, "bytes");
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    checkLength(length, 4, 4, "ints");
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    checkLength(length, varEncoding ? 1 : 4, 4, "ints");
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    checkLength(length, 8, 8, "longs");
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    checkLength(length, varEncoding ? 1 : 8, 8, "longs");
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    checkLength(length, 4, 4, "floats");
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    checkLength(length, 8, 8, "doubles");
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    checkLength(length, 2, 2, "shorts");
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    checkLength(length, 2, 2, "chars");
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    checkLength(length, 1, 1, "booleans");
    return super.readBooleans(length);
  }

  /** A UTF-8 string declares its char count first; each char takes at least one byte (ASCII strings need no check). */
  @Override
  public String readString() {
    checkUtf8Length();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    checkUtf8Length();
    return super.readStringBuilder();
  }

  private void checkUtf8Length() {
    if (position < limit && (buffer[position] & 0x80) != 0) {
      int start = position;
      int charCount = readVarIntFlag(true); // 0: null, 1: empty, else chars + 1
      setPosition(start);
      checkLength(Math.max(0, charCount - 1L), 1, 2, "chars");
    }
  }
}
