package saliency.model.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;

class EventFileWriterTest {
  @Test
  void writesTfRecordsThatReadBackWithValidChecksums(@TempDir Path dir) throws Exception {
    Path file;
    try (EventFileWriter w = new EventFileWriter(dir, 1000)) {
      w.scalar("reward/mean", 0.25, 1, 1001);
      w.scalar("reward/mean", 0.5, 2, 1002);
      file = w.file();
    }
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (buf.hasRemaining()) {
      byte[] header = new byte[8];
      buf.get(header);
      assertEquals(EventFileWriter.maskedCrc(header), buf.getInt());
      long len = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
      byte[] data = new byte[(int) len];
      buf.get(data);
      assertEquals(EventFileWriter.maskedCrc(data), buf.getInt());
      events.add(Event.parseFrom(data));
    }
    assertEquals(3, events.size());
    assertEquals("brain.Event:2", events.get(0).getFileVersion());
    assertEquals(2, events.get(2).getStep());
    assertEquals(0.5f, events.get(2).getSummary().getValue(0).getSimpleValue());
    assertEquals("reward/mean", events.get(1).getSummary().getValue(0).getTag());
  }

  @Test
  void maskedCrcMatchesTheTfRecordReferenceValue() {
    // TFRecord framing of an empty payload: masked crc32c("") = 0xa282ead8 (crc of nothing is 0)
    assertEquals(0xa282ead8, EventFileWriter.maskedCrc(new byte[0]));
  }

  @Test
  void linePlotWritesAPngWithDrawnSeries(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("plot.png");
    new LinePlot("reward", "step").add("mean", new double[] {0, 1, 2}, new double[] {0.1, 0.4, 0.3}).write(png, 320, 200);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(320, img.getWidth());
    int[] px = img.getRGB(0, 0, 320, 200, null, 0, 320);
    long coloured = Arrays.stream(px).filter(p -> (p & 0xffffff) == 0x1f77b4).count();
    assertTrue(coloured > 20, "series pixels drawn: " + coloured);
  }
}
