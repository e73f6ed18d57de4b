package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay MP4: written from a frame folder, read back by the FFmpeg reader with its frame count and size. */
class OverlayWriterTest {
  @TempDir Path dir;

  @Test
  void anOverlayOfAFrameFolderReadsBackFrameForFrame() throws Exception {
    Path frames = dir.resolve("frames");
    FrameFolderReaderTest.writeFrames(frames, 12, 64, 48);
    Path mp4 = dir.resolve("out/overlay.mp4");
    String codec;
    OverlayWriter w = new OverlayWriter(mp4, 12);
    try (FrameFolderReader in = FrameFolderReader.open(frames, 12); w) {
      for (Optional<VideoFrame> f = in.next(); f.isPresent(); f = in.next()) {
        double[] map = new double[64 * 48];
        for (int y = 10; y < 30; y++) {
          for (int x = 10; x < 40; x++) {
            map[y * 64 + x] = 1;
          }
        }
        w.write(f.get(), map);
      }
      codec = w.codec();
    }
    // frames are encoded on the writer's own thread: all of them by the time close returns
    assertEquals(12, w.written());
    assertTrue(OverlayWriter.CODECS.contains(codec), codec);
    List<VideoFrame> back = new ArrayList<>();
    try (FfmpegFrameReader r = FfmpegFrameReader.open(mp4.toString())) {
      assertEquals(12, r.frameRate(), 0.01);
      for (Optional<VideoFrame> f = r.next(); f.isPresent(); f = r.next()) {
        back.add(f.get());
      }
    }
    assertEquals(12, back.size());
    VideoFrame last = back.get(11);
    assertEquals(64, last.width());
    assertEquals(48, last.height());
    // inside the mask the tint pulls red up; on the outline red is full
    float[] rgb = last.image().rgb();
    int inside = (20 * 64 + 25) * 3;
    int outside = (40 * 64 + 55) * 3;
    assertTrue(rgb[inside] > rgb[outside] + 0.15, rgb[inside] + " vs " + rgb[outside]);
  }
}
