package dev.hungarian4j.natives;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak (issue 10, "guards"): 100,000 native calls keep the resident set flat. Runs {@link SoakMain} in a child JVM
 * with a fixed, pre-touched 96 MB heap (so only native memory can move the RSS) and prints its start and end RSS.
 */
class SoakTest {
    @Test
    void residentMemoryStaysFlatOverAHundredThousandCalls() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xms96m", "-Xmx96m", "-XX:+AlwaysPreTouch",
                "-Dorg.bytedeco.javacpp.cachedir=" + Path.of("target", "javacpp-cache").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), SoakMain.class.getName()));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print(out); // the start and end RSS, for the CI log
        assertTrue(done, "the soak JVM did not finish in 300 s: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("soak: ok"), out);
    }
}
