package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegFrameReaderTest {
  /** DAVIS 2016 as the project's data layout puts it: {@code ../shared/data/davis-2016} from the project root. */
  static Path davis() {
    return Path.of("").toAbsolutePath().getParent().resolve("shared/data/davis-2016");
  }

  @Test
  void decodesTheDavisBlackswanMp4() {
    Path mp4 = davis().resolve("blackswan.mp4");
    Assumptions.assumeTrue(Files.isRegularFile(mp4), "skipped: " + mp4 + " is not present");
    int frames = 0;
    long lastPts = -1;
    try (FfmpegFrameReader r = FfmpegFrameReader.open(mp4.toString())) {
      assertEquals(24.0, r.frameRate(), 0.01);
      for (Optional<VideoFrame> f = r.next(); f.isPresent(); f = r.next()) {
        VideoFrame v = f.get();
        assertEquals(854, v.width());
        assertEquals(480, v.height());
        assertEquals(frames, v.index());
        assertTrue(v.ptsMs() > lastPts, "timestamps increase");
        lastPts = v.ptsMs();
        frames++;
      }
      assertTrue(r.skips().isEmpty(), r.skips().toString());
    }
    assertEquals(50, frames);
    assertEquals(Math.round(49 * 1000 / 24.0), lastPts, 2);
  }

  @Test
  void missingOrUnreadableSourceIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("none.mp4");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> FfmpegFrameReader.open(missing.toString()));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    Path junk = dir.resolve("junk.mp4");
    Files.writeString(junk, "this is not a video");
    e = assertThrows(UncheckedIOException.class, () -> FfmpegFrameReader.open(junk.toString()));
    assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
  }
}
