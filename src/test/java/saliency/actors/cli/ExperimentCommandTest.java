package saliency.actors.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The clocks the experiment's budgets can count. */
class ExperimentCommandTest {
  @Test
  void theCpuClockAdvancesWithWorkDoneByThisProcess() {
    LongSupplier cpu = ExperimentCommand.clock("cpu");
    long before = cpu.getAsLong();
    double sink = 0;
    for (int i = 0; i < 20_000_000; i++) {
      sink += Math.sqrt(i);
    }
    long after = cpu.getAsLong();
    assertTrue(sink > 0);
    assertTrue(after > before, "process CPU time did not move: " + before + " -> " + after);
  }

  @Test
  void anUnknownClockIsRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentCommand.clock("sun"));
    assertTrue(e.getMessage().contains("--clock"), e.getMessage());
  }
}
