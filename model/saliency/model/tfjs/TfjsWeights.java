package saliency.model.tfjs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Decodes the {@code weightsManifest} of a TensorFlow.js model into one {@link TensorProto} per weight name; stateless.
 *
 * <p>Each manifest group lists shard files (concatenated in order) and the weights they hold, one after another. A
 * weight is stored raw (float32, int32, bool) or quantized: uint8/uint16 as {@code q * scale + min} (computed in double
 * and rounded to float32, as TensorFlow.js does; int32 weights are rounded to the nearest integer), or float16.
 */
final class TfjsWeights {
  private TfjsWeights() {}

  /** Reads every group's shards (paths relative to {@code dir}) and decodes its weights; names must be unique. */
  static Map<String, TensorProto> decode(JsonArray manifest, Path dir, String where) throws IOException {
    Map<String, TensorProto> out = new LinkedHashMap<>();
    for (int g = 0; g < manifest.size(); g++) {
      JsonObject group = manifest.get(g).getAsJsonObject();
      String groupWhere = where + " weightsManifest[" + g + "]";
      ByteBuffer data = readShards(group.getAsJsonArray("paths"), dir, groupWhere);
      JsonArray weights = group.getAsJsonArray("weights");
      if (weights == null) {
        throw new IllegalArgumentException(groupWhere + ": no 'weights' array");
      }
      for (JsonElement e : weights) {
        JsonObject w = e.getAsJsonObject();
        String name = string(w, "name", groupWhere);
        TensorProto t = decodeOne(w, data, groupWhere + " weight '" + name + "'");
        if (out.put(name, t) != null) {
          throw new IllegalArgumentException(groupWhere + ": weight '" + name + "' appears twice");
        }
      }
      if (data.hasRemaining()) {
        throw new IllegalArgumentException(
            groupWhere + ": shards hold " + data.remaining() + " bytes more than the listed weights use");
      }
    }
    return out;
  }

  private static ByteBuffer readShards(JsonArray paths, Path dir, String where) throws IOException {
    if (paths == null || paths.size() == 0) {
      throw new IllegalArgumentException(where + ": no shard 'paths'");
    }
    byte[][] parts = new byte[paths.size()][];
    int total = 0;
    for (int i = 0; i < parts.length; i++) {
      Path shard = dir.resolve(paths.get(i).getAsString());
      if (!Files.isRegularFile(shard)) {
        throw new NoSuchFileException(shard.toAbsolutePath().toString(), null, "weight shard listed in " + where);
      }
      parts[i] = Files.readAllBytes(shard);
      total = Math.addExact(total, parts[i].length);
    }
    ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] p : parts) {
      all.put(p);
    }
    return all.flip();
  }

  private static TensorProto decodeOne(JsonObject w, ByteBuffer data, String where) {
    String dtype = string(w, "dtype", where);
    long[] shape = shape(w, where);
    int n = Math.toIntExact(count(shape));
    JsonObject q = w.has("quantization") ? w.getAsJsonObject("quantization") : null;
    String stored = q == null ? dtype : string(q, "dtype", where + " quantization");
    int bytesPer = switch (stored) {
      case "float32", "int32" -> 4;
      case "uint16", "float16" -> 2;
      case "uint8", "bool" -> 1;
      default -> throw new IllegalArgumentException(where + ": unsupported stored dtype '" + stored + "'");
    };
    long need = (long) n * bytesPer;
    if (need > data.remaining()) {
      throw new IllegalArgumentException(
          where + ": needs " + need + " bytes but the shards have only " + data.remaining() + " left");
    }
    ByteBuffer src = data.slice().order(ByteOrder.LITTLE_ENDIAN).limit((int) need);
    data.position(data.position() + (int) need);

    ByteBuffer dst = ByteBuffer.allocate(n * (dtype.equals("bool") ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    DataType tfType;
    switch (dtype) {
      case "float32" -> {
        tfType = DataType.DT_FLOAT;
        switch (stored) {
          case "float32" -> dst.put(src);
          case "uint8", "uint16" -> {
            double scale = number(q, "scale", where);
            double min = number(q, "min", where);
            for (int i = 0; i < n; i++) {
              dst.putFloat((float) (unsigned(src, stored) * scale + min));
            }
          }
          case "float16" -> {
            for (int i = 0; i < n; i++) {
              dst.putFloat(halfToFloat(src.getShort()));
            }
          }
          default -> throw new IllegalArgumentException(where + ": float32 weight stored as '" + stored + "'");
        }
      }
      case "int32" -> {
        tfType = DataType.DT_INT32;
        switch (stored) {
          case "int32" -> dst.put(src);
          case "uint8", "uint16" -> {
            double scale = number(q, "scale", where);
            double min = number(q, "min", where);
            for (int i = 0; i < n; i++) {
              dst.putInt((int) Math.round(unsigned(src, stored) * scale + min));
            }
          }
          default -> throw new IllegalArgumentException(where + ": int32 weight stored as '" + stored + "'");
        }
      }
      case "bool" -> {
        if (!stored.equals("bool")) {
          throw new IllegalArgumentException(where + ": bool weight stored as '" + stored + "'");
        }
        tfType = DataType.DT_BOOL;
        for (int i = 0; i < n; i++) {
          dst.put(src.get() != 0 ? (byte) 1 : (byte) 0);
        }
      }
      default -> throw new IllegalArgumentException(where + ": unsupported dtype '" + dtype + "'");
    }
    TensorShapeProto.Builder sp = TensorShapeProto.newBuilder();
    for (long d : shape) {
      sp.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return TensorProto.newBuilder()
        .setDtype(tfType)
        .setTensorShape(sp)
        .setTensorContent(ByteString.copyFrom(dst.array()))
        .build();
  }

  private static int unsigned(ByteBuffer src, String stored) {
    return stored.equals("uint8") ? Byte.toUnsignedInt(src.get()) : Short.toUnsignedInt(src.getShort());
  }

  /** IEEE 754 half precision (binary16) to float, subnormals, infinities and NaN included. */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) { // infinity or NaN
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      // subnormal: mant * 2^-24, exactly representable as a float
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  private static long[] shape(JsonObject w, String where) {
    JsonArray a = w.getAsJsonArray("shape");
    if (a == null) {
      throw new IllegalArgumentException(where + ": no 'shape'");
    }
    long[] s = new long[a.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = a.get(i).getAsLong();
      if (s[i] < 0) {
        throw new IllegalArgumentException(where + ": negative dimension in shape " + a);
      }
    }
    return s;
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  private static String string(JsonObject o, String field, String where) {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonPrimitive()) {
      throw new IllegalArgumentException(where + ": missing '" + field + "'");
    }
    return e.getAsString();
  }

  private static double number(JsonObject o, String field, String where) {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonPrimitive()) {
      throw new IllegalArgumentException(where + ": quantization lacks '" + field + "'");
    }
    return e.getAsDouble();
  }
}
