package saliency.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VocabularyTest {
  private final Vocabulary v = new Vocabulary();

  @Test
  void fixedIdLayout() {
    assertEquals(64, v.bins());
    assertEquals(82, v.size());
    String[] expected = {
      "<pad>", "<end>", "<sod>", "<cod>", "<sis>", "<cosod>", "<rg>", "</rg>", "<ins>", "</ins>",
      "<bbox>", "</bbox>", "<points>", "</points>", "<labels>", "</labels>", "0", "1"
    };
    for (int id = 0; id < expected.length; id++) {
      assertEquals(expected[id], v.tokenText(id), "id " + id);
    }
    assertEquals(0, Vocabulary.PAD);
    assertEquals(1, Vocabulary.END);
    assertEquals(6, Vocabulary.RG_OPEN);
    assertEquals(15, Vocabulary.LABELS_CLOSE);
    assertEquals(17, Vocabulary.LABEL_1);
    assertEquals(18, Vocabulary.FIRST_COORD);
    assertEquals("c0", v.tokenText(18));
    assertEquals("c63", v.tokenText(81));
    assertEquals("<unk:82>", v.tokenText(82));
    assertEquals("<unk:-1>", v.tokenText(-1));
    assertEquals(18 + 32, new Vocabulary(32).size());
  }

  @Test
  void taskTokens() {
    assertEquals(2, Vocabulary.taskToken(Task.SOD));
    assertEquals(3, Vocabulary.taskToken(Task.COD));
    assertEquals(4, Vocabulary.taskToken(Task.SIS));
    assertEquals(5, Vocabulary.taskToken(Task.COSOD));
    for (Task t : Task.values()) {
      assertEquals(t, Vocabulary.taskOf(Vocabulary.taskToken(t)));
      assertEquals(t.token(), v.tokenText(Vocabulary.taskToken(t)));
    }
    assertNull(Vocabulary.taskOf(Vocabulary.RG_OPEN));
  }

  @Test
  void binning() {
    assertEquals(0, v.coordToBin(0.0));
    assertEquals(0, v.coordToBin(-0.5)); // clamped
    assertEquals(63, v.coordToBin(1.0)); // last bin holds 1.0
    assertEquals(63, v.coordToBin(7.0)); // clamped
    assertEquals(32, v.coordToBin(0.5)); // floor(32.0)
    assertEquals(31, v.coordToBin(0.49)); // floor(31.36)
    assertEquals(0.5 / 64, v.binToCoord(0), 0);
    assertEquals(63.5 / 64, v.binToCoord(63), 0);
    assertEquals(18 + 32, v.coordToId(0.5));
    assertEquals(32.5 / 64, v.idToCoord(18 + 32), 0);
    assertThrows(IllegalArgumentException.class, () -> v.coordToBin(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> v.binToCoord(64));
    assertThrows(IllegalArgumentException.class, () -> v.idToCoord(Vocabulary.END));
    assertThrows(IllegalArgumentException.class, () -> new Vocabulary(1));
    assertTrue(v.isCoord(18));
    assertTrue(v.isCoord(81));
    assertFalse(v.isCoord(17));
    assertFalse(v.isCoord(82));
  }

  @Test
  void everyBinCentreMapsBackToItsBin() {
    for (int bins : new int[] {2, 32, 64, 100}) {
      Vocabulary w = new Vocabulary(bins);
      for (int b = 0; b < bins; b++) {
        assertEquals(b, w.coordToBin(w.binToCoord(b)));
      }
    }
  }
}
