package dev.hungarian4j;

import dev.hungarian4j.jvm.JvmBackend;
import dev.hungarian4j.natives.CudaBackend;
import dev.hungarian4j.natives.NativeBackend;
import dev.hungarian4j.spi.ComputeBackend;

import java.util.List;

/**
 * Backend discovery and selection. Native and CUDA availability are probed once per JVM; an explicit request
 * for an unusable backend throws, it never falls back silently; {@link BackendKind#AUTO} picks cuda, else
 * native, else jvm, and says why.
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
                BackendStatus cuda = CudaBackend.status();
                if (cuda.available()) {
                    return new Selection(CudaBackend.instance(), "auto: cuda usable (" + cuda.detail() + ")");
                }
                BackendStatus nat = NativeBackend.status();
                if (nat.available()) {
                    return new Selection(NativeBackend.instance(),
                            "auto: cuda unavailable (" + cuda.detail() + "), native usable");
                }
                return new Selection(JvmBackend.INSTANCE, "auto: cuda unavailable (" + cuda.detail()
                        + "), native unavailable (" + nat.detail() + ")");
        }
    }

    private static ComputeBackend require(BackendStatus s, java.util.function.Supplier<ComputeBackend> get) {
        if (!s.available()) {
            throw new BackendUnavailableException("backend " + s.kind().cliName() + " is not available: " + s.detail());
        }
        return get.get();
    }
}
