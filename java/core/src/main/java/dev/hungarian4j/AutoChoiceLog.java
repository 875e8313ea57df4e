package dev.hungarian4j;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs, once per JVM, which backend {@link BackendKind#AUTO} picked and why not the faster ones, through
 * {@link System.Logger} (logger {@code dev.hungarian4j}; routed to the application's logging framework when it
 * provides a {@code LoggerFinder}, else to java.util.logging). An expected choice (native on a machine without a
 * GPU, cuda with a GPU) is logged at DEBUG; a fallback that costs speed a user can get back (an NVIDIA driver
 * too old for the CUDA part, natives that did not load) at WARNING.
 */
final class AutoChoiceLog {
    private static final System.Logger LOG = System.getLogger("dev.hungarian4j");
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private AutoChoiceLog() {
    }

    /** Logs the choice unless one was logged already in this JVM. */
    static void once(BackendKind picked, BackendStatus cuda, BackendStatus nat) {
        if (DONE.compareAndSet(false, true)) {
            LOG.log(level(picked, cuda, nat), message(picked, cuda, nat));
        }
    }

    /** The message: the pick, then each faster backend's reason. */
    static String message(BackendKind picked, BackendStatus cuda, BackendStatus nat) {
        StringBuilder m = new StringBuilder("hungarian4j: backend auto picked ").append(picked.cliName());
        if (picked != BackendKind.CUDA) {
            m.append("; cuda not usable: ").append(cuda.detail());
        }
        if (picked == BackendKind.JVM) {
            m.append("; native not usable: ").append(nat.detail())
                    .append(" (the jvm backend is 5-15x slower; `bin/hungarian4j info` or Backends.statuses() "
                            + "show the same)");
        }
        return m.toString();
    }

    /** DEBUG for the expected choice, WARNING when speed is lost for a reason the user can fix. */
    static Level level(BackendKind picked, BackendStatus cuda, BackendStatus nat) {
        if (picked == BackendKind.JVM) {
            // asked for by the user (a property, a build without natives): INFO; anything else costs speed
            boolean chosen = nat.detail().startsWith("disabled by") || nat.detail().startsWith("this jar carries no");
            return chosen ? Level.INFO : Level.WARNING;
        }
        if (picked == BackendKind.NATIVE && cuda.detail().contains("driver supports CUDA")) {
            return Level.WARNING;
        }
        return Level.DEBUG;
    }

    /** Forgets that the choice was logged (tests only). */
    static void reset() {
        DONE.set(false);
    }
}
