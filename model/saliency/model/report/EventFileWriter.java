package saliency.model.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Writes TensorBoard scalar summaries as a TFRecord event file ({@code events.out.tfevents.*}); the writer owns its open
 * stream and is not thread-safe.
 */
public final class EventFileWriter implements AutoCloseable {
  private final OutputStream out;
  private final Path file;

  /** Creates {@code dir} if needed and opens a new event file in it, named as TensorBoard expects. */
  public EventFileWriter(Path dir, long wallClockSeconds) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Files.createDirectories(dir);
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    this.file = dir.resolve("events.out.tfevents." + wallClockSeconds + "." + host);
    this.out = new BufferedOutputStream(Files.newOutputStream(file));
    write(Event.newBuilder().setWallTime(wallClockSeconds).setFileVersion("brain.Event:2").build());
  }

  /** The event file being written. */
  public Path file() {
    return file;
  }

  /** Appends one scalar {@code tag = value} at {@code step}. */
  public void scalar(String tag, double value, long step, double wallTimeSeconds) {
    Summary summary =
        Summary.newBuilder()
            .addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value))
            .build();
    write(Event.newBuilder().setWallTime(wallTimeSeconds).setStep(step).setSummary(summary).build());
  }

  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot flush " + file, e);
    }
  }

  private void write(Event event) {
    byte[] data = event.toByteArray();
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length);
    try {
      out.write(header.array());
      out.write(intLe(maskedCrc(header.array())));
      out.write(data);
      out.write(intLe(maskedCrc(data)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** TFRecord's masked CRC32C of {@code bytes}. */
  static int maskedCrc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private static byte[] intLe(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
