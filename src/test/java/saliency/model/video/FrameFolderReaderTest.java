package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saliency.model.image.BadInputException;
import saliency.model.image.ImageIo;
import saliency.model.image.RgbImage;

class FrameFolderReaderTest {
  /** A w x h frame whose red channel is {@code level / 255} everywhere. */
  static RgbImage frame(int w, int h, int level) {
    float[] rgb = new float[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      rgb[3 * i] = level / 255f;
      rgb[3 * i + 1] = 0.5f;
    }
    return new RgbImage(w, h, rgb);
  }

  /** Writes {@code n} PNG frames frame-000.png.. with red level 10*i into {@code dir}. */
  static void writeFrames(Path dir, int n, int w, int h) {
    for (int i = 0; i < n; i++) {
      ImageIo.writeRgb(dir.resolve(String.format("frame-%03d.png", i)), frame(w, h, 10 * i));
    }
  }

  @Test
  void readsFramesInNameOrderWithIndicesAndTimestamps(@TempDir Path dir) throws Exception {
    writeFrames(dir, 5, 12, 8);
    Files.writeString(dir.resolve("notes.txt"), "not a frame");
    List<VideoFrame> frames = new ArrayList<>();
    try (FrameFolderReader r = FrameFolderReader.open(dir, 25)) {
      assertEquals(5, r.size());
      for (Optional<VideoFrame> f = r.next(); f.isPresent(); f = r.next()) {
        frames.add(f.get());
      }
      assertTrue(r.skips().isEmpty(), r.skips().toString());
    }
    assertEquals(5, frames.size());
    for (int i = 0; i < 5; i++) {
      VideoFrame f = frames.get(i);
      assertEquals(i, f.index());
      assertEquals(i * 40L, f.ptsMs());
      assertEquals(12, f.width());
      assertEquals(8, f.height());
      assertEquals(10 * i / 255f, f.image().get(3, 4, 0), 1e-6);
    }
  }

  @Test
  void corruptFileIsACountedSkip(@TempDir Path dir) throws Exception {
    writeFrames(dir, 4, 10, 6);
    Files.write(dir.resolve("frame-001.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    List<VideoFrame> frames = new ArrayList<>();
    try (FrameFolderReader r = FrameFolderReader.open(dir, 10)) {
      for (Optional<VideoFrame> f = r.next(); f.isPresent(); f = r.next()) {
        frames.add(f.get());
      }
      assertEquals(1, r.skips().size());
      assertTrue(r.skips().get(0).contains("frame-001.png"), r.skips().get(0));
    }
    assertEquals(List.of(0L, 2L, 3L), frames.stream().map(VideoFrame::index).toList());
    assertEquals(List.of(0L, 200L, 300L), frames.stream().map(VideoFrame::ptsMs).toList());
  }

  @Test
  void emptyOrMissingFolderIsAnErrorNamingIt(@TempDir Path dir) {
    BadInputException e = assertThrows(BadInputException.class, () -> FrameFolderReader.open(dir, 24));
    assertTrue(e.getMessage().contains(dir.toString()));
    assertThrows(BadInputException.class, () -> FrameFolderReader.open(dir.resolve("nope"), 24));
  }
}
