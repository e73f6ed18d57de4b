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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Writes TensorBoard scalar summaries as a TFRecord event file ({@code events.out.tfevents.*}), and reads and cuts back
 * such files for a resumed run; the writer owns its open stream and is not thread-safe.
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
    Path f = dir.resolve("events.out.tfevents." + wallClockSeconds + "." + host);
    for (int n = 1; Files.exists(f); n++) { // a second session within the same second keeps the first one's file
      f = dir.resolve("events.out.tfevents." + wallClockSeconds + "." + host + "." + n);
    }
    this.file = f;
    this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE));
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
    try {
      writeRecord(out, event.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** One TFRecord: length, its masked CRC, the data, its masked CRC. */
  private static void writeRecord(OutputStream o, byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length);
    o.write(header.array());
    o.write(intLe(maskedCrc(header.array())));
    o.write(data);
    o.write(intLe(maskedCrc(data)));
  }

  /**
   * The events of an event file, in order, up to its first torn or corrupt record (where a killed writer stopped); an
   * unreadable file is an error naming it.
   */
  public static List<Event> read(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    byte[] header = new byte[8];
    while (buf.remaining() >= 12) {
      buf.get(header);
      long len = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (buf.getInt() != maskedCrc(header) || len < 0 || len > buf.remaining() - 4) {
        break;
      }
      byte[] data = new byte[(int) len];
      buf.get(data);
      if (buf.getInt() != maskedCrc(data)) {
        break;
      }
      events.add(Event.parseFrom(data));
    }
    return events;
  }

  /**
   * Rewrites each event file of {@code dir} (atomically) without the scalars at steps past {@code step}, the steps a
   * resumed run is about to write again; a torn end is dropped as well.
   */
  public static void cutAfter(Path dir, long step) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
    }
    for (Path f : files) {
      Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        for (Event e : read(f)) {
          if (!e.hasSummary() || e.getStep() <= step) {
            writeRecord(o, e.toByteArray());
          }
        }
      }
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
