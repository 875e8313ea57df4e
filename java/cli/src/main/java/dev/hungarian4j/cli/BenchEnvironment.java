package dev.hungarian4j.cli;

import dev.hungarian4j.Backends;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a benchmark figure depends on besides the code, printed with every result: the CPU threads a call may use
 * ({@link Backends#cpuThreads()}), the JDK, and the CPU model.
 *
 * @param threads the thread cap resolved against the hardware
 * @param jdk     {@code java.vm.name java.runtime.version}
 * @param cpu     the CPU model ({@code /proc/cpuinfo}'s model name) and hardware thread count
 */
record BenchEnvironment(int threads, String jdk, String cpu) {
    /** The environment of this JVM now. */
    static BenchEnvironment current() {
        String jdk = System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.runtime.version",
                System.getProperty("java.version", "?"));
        return new BenchEnvironment(Backends.cpuThreads(), jdk, cpuModel() + ", "
                + Runtime.getRuntime().availableProcessors() + " hardware threads");
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    int colon = line.indexOf(':');
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall through
        }
        return System.getProperty("os.arch", "?");
    }
}
