package saliency.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The machine facts from /proc text, the assumed peak, and the process figures from /proc/self/status text. */
class MachineInfoTest {
  private static final String CPUINFO = """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      model name\t: AMD EPYC 7B13
      cpu MHz\t\t: 2450.000
      flags\t\t: fpu sse2 avx fma avx2 bmi2
      
      processor\t: 1
      model name\t: AMD EPYC 7B13
      cpu MHz\t\t: 1800.000
      flags\t\t: fpu sse2 avx fma avx2 avx512f
      """;

  @Test
  void readsTheFirstProcessorAndItsVectorFlags() {
    MachineInfo m = MachineInfo.parse(CPUINFO, 2);
    assertEquals("AMD EPYC 7B13", m.cpuModel());
    assertEquals(2450.0, m.mhz());
    assertEquals(List.of("avx", "fma", "avx2"), m.flags());
    assertEquals(8, m.fmaLanes());
  }

  @Test
  void peakIsCpusTimesLanesTimesPipesTimesTwoTimesClock() {
    MachineInfo m = new MachineInfo("x", 2, List.of("avx2", "fma"), 2000);
    assertEquals(2 * 8 * MachineInfo.FMA_PIPES * 2 * 2000e6, m.peakFlops());
    assertEquals(16, new MachineInfo("x", 1, List.of("avx2", "fma", "avx512f"), 1).fmaLanes());
    assertEquals(4, new MachineInfo("x", 1, List.of(), 1).fmaLanes());
    assertTrue(m.describe().contains("= 128.0 GFLOP/s FP32"), m.describe());
  }

  @Test
  void readsPeakRssFromStatusText() {
    String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  812345 kB\nVmRSS:\t 700000 kB\n";
    assertEquals("812345 kB", ProcessStats.statusValue(status, "VmHWM"));
    assertEquals(812345L * 1024, ProcessStats.kib(ProcessStats.statusValue(status, "VmHWM")));
    assertEquals("n/a", ProcessStats.statusValue(status, "VmSwap"));
    assertEquals(-1, ProcessStats.kib("n/a"));
  }

  @Test
  void pausedClockStandsStill() {
    long[] now = {1000};
    AlgorithmRace.PausableClock c = new AlgorithmRace.PausableClock(() -> now[0]);
    now[0] = 1500;
    assertEquals(1500, c.getAsLong());
    c.pause();
    now[0] = 9000;
    assertEquals(1500, c.getAsLong());
    c.resume();
    now[0] = 9100;
    assertEquals(1600, c.getAsLong());
  }
}
