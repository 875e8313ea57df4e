package dev.hungarian4j.natives;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Whether the native CPU calls may take Java arrays in place (JNI critical regions, JavaCPP's
 * {@code @CriticalRegion}) instead of staging them: the whole pipeline ({@code forward}, one layer or several)
 * through the native pool's JNI array-region copies into per-thread stages, slice by slice (h4j_jni_regions.h), the
 * stage calls ({@code costBlocks}, {@code match}, {@code loss}) through per-thread direct buffers
 * ({@link ArrayStaging}).
 *
 * <p>A critical region makes the JVM either pin the array or hold off the garbage collector until the region ends.
 * G1 pins the region holding the array from JDK 22 on (JEP 423), so collections go on around it; on JDK 17-21 G1
 * blocks them instead (the GCLocker), and threads allocating meanwhile were starved into {@code OutOfMemoryError} in
 * {@code GcStarvationTest}'s stress. Hence the default, decided once at start-up: in place on JDK 22+ when G1 is the
 * collector, staged otherwise (other collectors keep staging: not measured here). {@code -Dh4j.jni.inPlace=true} or
 * {@code false} overrides the decision (for measurements and tests; {@code true} on JDK 17 is unsafe under
 * allocation pressure).
 */
final class InPlaceArrays {
    /** The decision for this JVM. */
    static final boolean ENABLED = decide();

    private InPlaceArrays() {
    }

    private static boolean decide() {
        String forced = System.getProperty("h4j.jni.inPlace", "auto").trim().toLowerCase(Locale.ROOT);
        if (forced.equals("true") || forced.equals("false")) {
            return Boolean.parseBoolean(forced);
        }
        return Runtime.version().feature() >= 22 && usesG1();
    }

    private static boolean usesG1() {
        try {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (!gc.getName().startsWith("G1 ")) {
                    return false;
                }
            }
            return !ManagementFactory.getGarbageCollectorMXBeans().isEmpty();
        } catch (RuntimeException | LinkageError e) { // no java.management: stay on the safe side
            return false;
        }
    }

    /** What was decided and why, for {@code info} and bench output. */
    static String describe() {
        return (ENABLED ? "in place (JNI critical regions" : "staged (the whole pipeline item by item by the native "
                + "pool through JNI array regions; the stage calls through per-thread direct buffers")
                + "; JDK " + Runtime.version().feature() + ")";
    }
}
