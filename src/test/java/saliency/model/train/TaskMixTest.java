package saliency.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import saliency.model.text.Task;

/** {@code --tasks}: parsing, errors that name the bad entry, and a seeded stream that mixes in the given shares. */
class TaskMixTest {

  @Test
  void readsSharesAndWritesThemBack() {
    TaskMix m = TaskMix.parse("sod:0.5, SIS:0.2,cod:0.3");
    assertEquals(List.of(Task.SOD, Task.COD, Task.SIS), m.tasks());
    assertEquals(0.2, m.shares().get(Task.SIS), 0);
    assertEquals(m, TaskMix.parse(m.toString()));
    assertEquals(TaskMix.single(Task.SIS), TaskMix.parse("sis"));
    assertEquals(List.of(Task.SOD, Task.COSOD), TaskMix.parse("sod:0.5,cosod:0.5").tasks());
    assertTrue(TaskMix.parse("sod").sodOnly());
    assertTrue(!m.sodOnly());
  }

  @Test
  void badEntriesAreNamed() {
    assertMessage("sod:0.5,sos:0.5", "'sos:0.5'", "unknown task 'sos'");
    assertMessage("sod:0.5,sis:half", "'sis:half'", "not a number");
    assertMessage("sod:0.5,sis:0.4", "sum to 0.9");
    assertMessage("sod:0.5,sod:0.5", "'sod:0.5'", "listed twice");
    assertMessage("sod:0.5,sis:-0.5,cod:1", "'sis:-0.5'", "(0, 1]");
    assertMessage("sod:0.5,cosdo:0.5", "'cosdo:0.5'", "unknown task 'cosdo'", "cosod");
    assertMessage("sod:0.5,,sis:0.5", "''");
    assertMessage("sod:1:2", "'sod:1:2'");
    assertMessage("sod,sis", "'sod'", "a share is needed");
    assertMessage(" ", "empty");
  }

  private static void assertMessage(String spec, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskMix.parse(spec), spec);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain " + p);
    }
  }

  @Test
  void theStreamMixesTasksInTheirSharesAndIsSeeded() {
    TaskMix m = TaskMix.parse("sod:0.5,sis:0.2,cod:0.3");
    int n = 20_000;
    Map<Task, Integer> counts = new EnumMap<>(Task.class);
    for (long i = 0; i < n; i++) {
      counts.merge(m.taskOf(7L, i), 1, Integer::sum);
    }
    assertEquals(0.5, counts.get(Task.SOD) / (double) n, 0.015);
    assertEquals(0.2, counts.get(Task.SIS) / (double) n, 0.015);
    assertEquals(0.3, counts.get(Task.COD) / (double) n, 0.015);
    int same = 0;
    int sameOtherSeed = 0;
    for (long i = 0; i < 1000; i++) {
      same += m.taskOf(7L, i) == m.taskOf(7L, i) ? 1 : 0;
      sameOtherSeed += m.taskOf(7L, i) == m.taskOf(8L, i) ? 1 : 0;
    }
    assertEquals(1000, same);
    assertTrue(sameOtherSeed < 700, "another seed gives another order: " + sameOtherSeed + " of 1000 alike");
    assertEquals(Task.SOD, m.pick(0.0));
    assertEquals(Task.COD, m.pick(0.5));
    assertEquals(Task.SIS, m.pick(0.85));
    assertEquals(Task.SIS, m.pick(0.999999));
  }
}
