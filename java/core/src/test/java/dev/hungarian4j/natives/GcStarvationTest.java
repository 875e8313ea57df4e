package dev.hungarian4j.natives;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native calls must never starve the garbage collector: a training loop's data-loading threads allocate while the
 * loss runs. Runs {@link GcStarvationMain} in a child JVM with a 192 MB heap for 6 seconds; passing the arrays in
 * JNI critical regions made it fail with OutOfMemoryError on JDK 17 (G1), the staged path (JNI array-region
 * copies by the native pool) passes,
 * and on JDK 22+ (G1 pins regions) the in-place path that {@link InPlaceArrays} then picks passes.
 */
class GcStarvationTest {
    @Test
    void allocatingThreadsAreNotStarvedByNativeCalls() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String out = stress(java);
        assertTrue(out.contains(Runtime.version().feature() >= 22 ? "arrays in place" : "arrays staged"), out);
    }

    /**
     * The in-place path (JNI critical regions) under the same stress on a JDK 22+ with G1, where InPlaceArrays picks
     * it: the JDK running the build when it is 22+, else one found under /usr/lib/jvm (or {@code -Dh4j.jdk22plus}).
     */
    @Test
    void inPlaceArraysOnJdk22PlusDoNotStarveTheCollector() throws Exception {
        String java = jdk22Plus();
        Assumptions.assumeTrue(java != null, "no JDK 22+ here (set -Dh4j.jdk22plus=/path/to/jdk): in-place path "
                + "not stressed");
        String out = stress(java);
        assertTrue(out.contains("arrays in place"), "the child JVM did not take the in-place path: " + out);
    }

    private static String stress(String java) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx192m", "-XX:+UseG1GC",
                "--enable-native-access=ALL-UNNAMED",
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                        System.getProperty("java.io.tmpdir") + File.separator + "h4j-javacpp"),
                "-cp", System.getProperty("java.class.path"), GcStarvationMain.class.getName(), "6"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "the stress JVM did not finish in 120 s: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ok calls="), out);
        return out;
    }

    private static String jdk22Plus() throws Exception {
        String given = System.getProperty("h4j.jdk22plus");
        List<Path> homes = new ArrayList<>();
        if (given != null && !given.isBlank()) {
            homes.add(Path.of(given));
        } else if (Runtime.version().feature() >= 22) {
            homes.add(Path.of(System.getProperty("java.home")));
        } else if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
                s.sorted().forEach(homes::add);
            }
        }
        for (Path home : homes) {
            Path release = home.resolve("release");
            Path java = home.resolve("bin").resolve("java");
            if (Files.isRegularFile(release) && Files.isExecutable(java)) {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                        if (Integer.parseInt(v.split("[.+-]")[0]) >= 22) {
                            return java.toString();
                        }
                    }
                }
            }
        }
        return null;
    }
}
