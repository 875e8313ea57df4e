package dev.hungarian4j;

import org.junit.jupiter.api.Test;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code auto} says once which backend it picked and why not the faster ones, at a level that fits. */
class AutoChoiceLogTest {
    private static final BackendStatus NO_GPU = new BackendStatus(BackendKind.CUDA, false, "no CUDA device found");
    private static final BackendStatus OLD_DRIVER = new BackendStatus(BackendKind.CUDA, false,
            "the NVIDIA driver supports CUDA 12.4 only; the CUDA part needs a CUDA 13 driver (r580 or newer)");
    private static final BackendStatus NATIVE_OK = new BackendStatus(BackendKind.NATIVE, true, "libhungarian4j 500");
    private static final BackendStatus FOREIGN = new BackendStatus(BackendKind.NATIVE, false,
            "this jar ships natives for linux-x86_64 only (this JVM runs on macosx-arm64)");

    @Test
    void levelsAndMessages() {
        assertEquals(Level.DEBUG, AutoChoiceLog.level(BackendKind.NATIVE, NO_GPU, NATIVE_OK));
        assertEquals(Level.WARNING, AutoChoiceLog.level(BackendKind.NATIVE, OLD_DRIVER, NATIVE_OK));
        assertEquals(Level.WARNING, AutoChoiceLog.level(BackendKind.JVM, NO_GPU, FOREIGN));
        assertEquals(Level.INFO, AutoChoiceLog.level(BackendKind.JVM, NO_GPU,
                new BackendStatus(BackendKind.NATIVE, false, "disabled by -Dh4j.native.disable=true")));
        assertEquals(Level.INFO, AutoChoiceLog.level(BackendKind.JVM, NO_GPU, new BackendStatus(BackendKind.NATIVE,
                false, "this jar carries no native library (built with -Dh4j.native.skip=true)")));
        assertEquals("hungarian4j: backend auto picked native; cuda not usable: no CUDA device found",
                AutoChoiceLog.message(BackendKind.NATIVE, NO_GPU, NATIVE_OK));
        String jvm = AutoChoiceLog.message(BackendKind.JVM, NO_GPU, FOREIGN);
        assertTrue(jvm.startsWith("hungarian4j: backend auto picked jvm; cuda not usable: no CUDA device found; "
                + "native not usable: this jar ships natives for linux-x86_64 only"), jvm);
        assertFalse(AutoChoiceLog.message(BackendKind.CUDA, NO_GPU, NATIVE_OK).contains("not usable"));
    }

    @Test
    void autoLogsOncePerJvm() {
        Logger jul = Logger.getLogger("dev.hungarian4j");
        java.util.logging.Level before = jul.getLevel();
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.setLevel(java.util.logging.Level.ALL);
        jul.addHandler(h);
        try {
            AutoChoiceLog.reset();
            Backends.Selection s = Backends.select(BackendKind.AUTO);
            Backends.select(BackendKind.AUTO);
            HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.AUTO);
            assertEquals(1, records.size(), () -> "one record, got " + records.size());
            assertTrue(records.get(0).getMessage().startsWith("hungarian4j: backend auto picked "
                    + s.backend().kind().cliName()), records.get(0).getMessage());
        } finally {
            jul.removeHandler(h);
            jul.setLevel(before);
        }
    }
}
