package dev.hungarian4j.natives;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native calls must never starve the garbage collector: a training loop's data-loading threads allocate while the
 * loss runs. Runs {@link GcStarvationMain} in a child JVM with a 192 MB heap for 6 seconds; passing the arrays in
 * JNI critical regions made it fail with OutOfMemoryError on JDK 17 (G1), the staged copies of ArrayStaging pass.
 */
class GcStarvationTest {
    @Test
    void allocatingThreadsAreNotStarvedByNativeCalls() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx192m", "-XX:+UseG1GC",
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
    }
}
