package saliency.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/** Seeded byte-level mutations of a valid input (bit flips, odd values, lengths forged, inserts, cuts); stateless. */
public final class Mutator {
  /** Integers that make good forged length fields. */
  private static final int[] INTERESTING = {
    -1, 0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0x10000000, 0x3FFFFFFF, 0xFFFFFF
  };

  private Mutator() {}

  /** One to four random edits of {@code input} (which is not changed). */
  public static byte[] mutate(byte[] input, Random rnd) {
    byte[] b = input.clone();
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits; e++) {
      b = edit(b, rnd);
    }
    return b;
  }

  private static byte[] edit(byte[] b, Random rnd) {
    if (b.length == 0) {
      return new byte[] {(byte) rnd.nextInt(256)};
    }
    int at = rnd.nextInt(b.length);
    switch (rnd.nextInt(8)) {
      case 0: // flip a bit
        b[at] ^= (byte) (1 << rnd.nextInt(8));
        return b;
      case 1: // a random or extreme byte
        b[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : new int[] {0, 0x7F, 0x80, 0xFF}[rnd.nextInt(4)]);
        return b;
      case 2: // a forged 32-bit big-endian length
        int v = INTERESTING[rnd.nextInt(INTERESTING.length)];
        for (int i = 0; i < 4 && at + i < b.length; i++) {
          b[at + i] = (byte) (v >>> (24 - 8 * i));
        }
        return b;
      case 3: // a forged varint (as Kryo writes lengths): 5 bytes of a large value
        int n = INTERESTING[rnd.nextInt(INTERESTING.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, at);
        while ((n & ~0x7F) != 0) {
          out.write((n & 0x7F) | 0x80);
          n >>>= 7;
        }
        out.write(n);
        int skip = Math.min(b.length, at + 1 + rnd.nextInt(3));
        out.write(b, skip, b.length - skip);
        return out.toByteArray();
      case 4: // truncate
        return Arrays.copyOf(b, at);
      case 5: // delete a range
        int end = Math.min(b.length, at + 1 + rnd.nextInt(16));
        byte[] d = new byte[b.length - (end - at)];
        System.arraycopy(b, 0, d, 0, at);
        System.arraycopy(b, end, d, at, b.length - end);
        return d;
      case 6: // insert random bytes
        byte[] ins = new byte[1 + rnd.nextInt(8)];
        rnd.nextBytes(ins);
        byte[] r = new byte[b.length + ins.length];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(ins, 0, r, at, ins.length);
        System.arraycopy(b, at, r, at + ins.length, b.length - at);
        return r;
      default: // duplicate a range in place of another
        int len = Math.min(b.length - at, 1 + rnd.nextInt(32));
        int to = rnd.nextInt(b.length);
        System.arraycopy(b, at, b, to, Math.min(len, b.length - to));
        return b;
    }
  }
}
