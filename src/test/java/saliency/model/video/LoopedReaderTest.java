package saliency.model.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LoopedReaderTest {
  @Test
  void readsEverySourceInOrderLoopTimesRenumberedAsOneVideo() {
    List<Supplier<FrameReader>> sources = List.of(() -> SyntheticVideoReader.open("synthetic:3"),
        () -> SyntheticVideoReader.open("synthetic:2"));
    List<VideoFrame> frames = new ArrayList<>();
    try (LoopedReader r = new LoopedReader(sources, 2)) {
      for (Optional<VideoFrame> f = r.next(); f.isPresent(); f = r.next()) {
        frames.add(f.get());
      }
      assertEquals(Optional.empty(), r.next());
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(i, frames.get(i).index());
        assertEquals(Math.round(i * 1000.0 / r.frameRate()), frames.get(i).ptsMs());
      }
      assertTrue(r.skips().isEmpty());
    }
    assertEquals(10, frames.size());
  }

  @Test
  void needsASourceAndAtLeastOneLoop() {
    assertThrows(IllegalArgumentException.class, () -> new LoopedReader(List.of(), 1));
    assertThrows(IllegalArgumentException.class,
        () -> new LoopedReader(List.of(() -> SyntheticVideoReader.open("synthetic:1")), 0));
  }
}
