package dev.hungarian4j;

import dev.hungarian4j.jvm.JvmBackend;
import dev.hungarian4j.jvm.JvmPool;
import dev.hungarian4j.natives.CudaBackend;
import dev.hungarian4j.natives.NativeBackend;
import dev.hungarian4j.spi.ComputeBackend;

import java.util.List;

/**
 * Backend discovery and selection. Native and CUDA availability are probed once per JVM; an explicit request
 * for an unusable backend throws, it never falls back silently; {@link BackendKind#AUTO} picks cuda, else
 * native, else jvm, says why in {@link Selection#reason()}, and logs it once per JVM through
 * {@link System.Logger} (logger {@code dev.hungarian4j}: DEBUG for the expected choice, WARNING when a faster
 * backend is lost to something fixable, such as an NVIDIA driver older than r580 or natives that did not load).
 */
public final class Backends {
    private Backends() {
    }

    /**
     * A chosen backend and the reason it was chosen.
     *
     * @param backend the backend to use, never null
     * @param reason  why it was chosen: {@code requested}, or for {@code auto} what was tried and why
     */
    public record Selection(ComputeBackend backend, String reason) {
    }

    /**
     * The status of jvm, native and cuda, in that order. Probing loads the native library at most once per JVM.
     *
     * @return an immutable list of three statuses
     */
    public static List<BackendStatus> statuses() {
        return List.of(new BackendStatus(BackendKind.JVM, true, "pure Java, always available"),
                NativeBackend.status(), CudaBackend.status());
    }

    /**
     * Resolves a backend request.
     *
     * @param kind the requested backend, or {@link BackendKind#AUTO} for the best usable one; not null
     * @return the backend and the reason it was chosen
     * @throws BackendUnavailableException when an explicitly requested backend cannot be used here
     */
    public static Selection select(BackendKind kind) {
        switch (kind) {
            case JVM:
                return new Selection(JvmBackend.INSTANCE, "requested");
            case NATIVE:
                return new Selection(require(NativeBackend.status(), NativeBackend::instance), "requested");
            case CUDA:
                return new Selection(require(CudaBackend.status(), CudaBackend::instance), "requested");
            case AUTO:
            default:
                return auto();
        }
    }

    private static Selection auto() {
        BackendStatus cuda = CudaBackend.status();
        BackendStatus nat = NativeBackend.status();
        Selection s;
        if (cuda.available()) {
            s = new Selection(CudaBackend.instance(), "auto: cuda usable (" + cuda.detail() + ")");
        } else if (nat.available()) {
            s = new Selection(NativeBackend.instance(), "auto: cuda unavailable (" + cuda.detail() + "), native usable");
        } else {
            s = new Selection(JvmBackend.INSTANCE, "auto: cuda unavailable (" + cuda.detail()
                    + "), native unavailable (" + nat.detail() + ")");
        }
        AutoChoiceLog.once(s.backend().kind(), cuda, nat);
        return s;
    }

    /**
     * Caps the threads one CPU call may use, the calling thread included, on both CPU backends: the native pool and
     * the jvm backend's pool ({@link JvmPool}) — one setting for both, so that a comparison runs them on the same
     * cores. {@code 0} = every core (the default), {@code 1} = serial. For training loops whose framework already
     * owns the cores. Results never depend on it. The same cap can be set at start-up with
     * {@code -Dh4j.native.threads=N}.
     *
     * @param maxThreads 0 for all cores, else the maximum number of threads per call (&gt;= 1)
     * @return the previous cap (0 = all cores)
     * @throws IllegalArgumentException when {@code maxThreads} is negative
     */
    public static int setMaxNativeThreads(int maxThreads) {
        int previous = JvmPool.setMaxThreads(maxThreads);
        NativeBackend.setMaxThreads(maxThreads);
        return previous;
    }

    /**
     * The threads a large CPU call may use now: the cap of {@link #setMaxNativeThreads} resolved against the
     * hardware.
     *
     * @return between 1 and {@link Runtime#availableProcessors()}
     */
    public static int cpuThreads() {
        return JvmPool.threads();
    }

    private static ComputeBackend require(BackendStatus s, java.util.function.Supplier<ComputeBackend> get) {
        if (!s.available()) {
            throw new BackendUnavailableException("backend " + s.kind().cliName() + " is not available: " + s.detail());
        }
        return get.get();
    }
}
