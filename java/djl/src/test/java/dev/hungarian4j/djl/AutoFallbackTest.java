package dev.hungarian4j.djl;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.natives.NativeBackend;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AUTO falls back to the pure-Java backend when the native library does not load, and says so in a warning that
 * carries the load error; when it loads, AUTO is native and says nothing. The load failure is forced through the
 * package-private choice (the library loads once per JVM, so it cannot be unloaded here).
 */
class AutoFallbackTest {
    /** The text slf4j-simple (the tests' binding, which writes to the current System.err) prints during {@code r}. */
    private static String stderrOf(Runnable r) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void autoWithoutTheNativeLibraryWarnsAndRunsOnTheJvm() {
        BackendStatus failed = new BackendStatus(BackendKind.NATIVE, false, "forced load failure for the test");
        Criterion[] chosen = new Criterion[1];
        String log = stderrOf(() -> chosen[0] = HungarianDetrLoss.criterion(HungarianConfig.DEFAULTS,
                BackendKind.AUTO, failed));
        assertEquals("jvm", chosen[0].backendName());
        assertTrue(log.contains("WARN"), log);
        assertTrue(log.contains("native library unavailable (forced load failure for the test)"), log);
        assertTrue(log.contains("pure-Java backend"), log);
    }

    @Test
    void autoWithTheNativeLibraryIsNativeAndQuiet() {
        BackendStatus loaded = new BackendStatus(BackendKind.NATIVE, true, "loaded");
        Criterion[] chosen = new Criterion[1];
        String log = stderrOf(() -> chosen[0] = HungarianDetrLoss.criterion(HungarianConfig.DEFAULTS,
                BackendKind.AUTO, loaded));
        assertEquals("native", chosen[0].backendName());
        assertFalse(log.contains("unavailable"), log);
        // and the public path agrees with the library's real status on this machine
        assertEquals(NativeBackend.status().available() ? "native" : "jvm", HungarianDetrLoss.builder().build().backend());
    }
}
