package saliency.model.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The machine a benchmark ran on, read from {@code /proc/cpuinfo}, and its assumed peak FP32 rate; immutable.
 *
 * <p>Peak = logical CPUs x FP32 lanes of the widest FMA (16 with AVX-512F, 8 with AVX2 and FMA, 4 otherwise) x FMA
 * pipes per core ({@link #FMA_PIPES}, assumed) x 2 (a fused multiply-add is two operations) x the clock that
 * {@code /proc/cpuinfo} reports for the first CPU.
 *
 * @param cpuModel {@code model name}
 * @param cpus logical CPUs this JVM may use
 * @param flags the vector flags present, of {@code avx avx2 fma avx512f}
 * @param mhz {@code cpu MHz} of the first CPU (0 when absent)
 */
public record MachineInfo(String cpuModel, int cpus, List<String> flags, double mhz) {
  /** FMA pipes per core assumed in the peak: two, as on AMD Zen 2 and later and on Intel server cores. */
  public static final int FMA_PIPES = 2;
  private static final Set<String> VECTOR_FLAGS = Set.of("avx", "avx2", "fma", "avx512f");

  public MachineInfo {
    Objects.requireNonNull(cpuModel, "cpuModel");
    flags = List.copyOf(flags);
  }

  /** This machine (unknown model and no flags where {@code /proc/cpuinfo} cannot be read). */
  public static MachineInfo current() {
    int cpus = Runtime.getRuntime().availableProcessors();
    try {
      return parse(Files.readString(Path.of("/proc/cpuinfo")), cpus);
    } catch (IOException e) {
      return new MachineInfo("unknown", cpus, List.of(), 0);
    }
  }

  /** The facts of the first processor in the text of a {@code /proc/cpuinfo} file. */
  static MachineInfo parse(String cpuinfo, int cpus) {
    String model = "unknown";
    double mhz = 0;
    List<String> flags = new ArrayList<>();
    boolean haveFlags = false;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("model name") && model.equals("unknown")) {
        model = value;
      } else if (key.equals("cpu MHz") && mhz == 0) {
        mhz = Double.parseDouble(value);
      } else if (key.equals("flags") && !haveFlags) {
        haveFlags = true;
        for (String f : value.split("\\s+")) {
          if (VECTOR_FLAGS.contains(f)) {
            flags.add(f);
          }
        }
      }
    }
    return new MachineInfo(model, cpus, flags, mhz);
  }

  /** FP32 lanes of the widest fused multiply-add the flags name. */
  public int fmaLanes() {
    if (flags.contains("avx512f")) {
      return 16;
    }
    return flags.contains("avx2") && flags.contains("fma") ? 8 : 4;
  }

  /** Assumed peak FP32 operations per second (see the class comment). */
  public double peakFlops() {
    return (double) cpus * fmaLanes() * FMA_PIPES * 2 * mhz * 1e6;
  }

  /** One line: model, CPUs, flags, clock and the peak with its formula. */
  public String describe() {
    return String.format(Locale.ROOT, "%s, %d logical CPUs, flags %s, %.0f MHz; assumed peak %d x %d lanes x %d FMA "
        + "pipes x 2 x %.0f MHz = %.1f GFLOP/s FP32", cpuModel, cpus, flags.isEmpty() ? "(none of avx/avx2/fma/avx512f)"
        : String.join(" ", flags), mhz, cpus, fmaLanes(), FMA_PIPES, mhz, peakFlops() / 1e9);
  }
}
