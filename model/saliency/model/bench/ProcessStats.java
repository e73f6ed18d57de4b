package saliency.model.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Figures of this process read from the JVM and {@code /proc/self/status}; stateless. */
public final class ProcessStats {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessStats() {}

  /** The value of {@code key} in {@code /proc/self/status} (e.g. {@code "812345 kB"}), or {@code "n/a"}. */
  public static String procStatus(String key) {
    if (!Files.isReadable(STATUS)) {
      return "n/a";
    }
    try {
      return statusValue(Files.readString(STATUS), key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of {@code key} in the text of a {@code /proc/PID/status} file, or {@code "n/a"}. */
  static String statusValue(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":")) {
        return line.substring(key.length() + 1).trim();
      }
    }
    return "n/a";
  }

  /** Peak resident set size ({@code VmHWM}) in bytes, or -1 where the kernel does not tell. */
  public static long peakRssBytes() {
    return kib(procStatus("VmHWM"));
  }

  /** {@code "812345 kB"} in bytes; -1 for anything else. */
  static long kib(String value) {
    String[] parts = value.trim().split("\\s+");
    if (parts.length != 2 || !parts[1].equals("kB")) {
      return -1;
    }
    try {
      return Long.parseLong(parts[0]) * 1024;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** CPU time of the whole process (every thread, TensorFlow's included), or -1 when the JVM cannot tell. */
  public static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  /** The one-minute load average, or a negative value where there is none. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
