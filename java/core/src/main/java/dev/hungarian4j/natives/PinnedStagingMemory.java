package dev.hungarian4j.natives;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Page-locked host memory ({@code h4j_cuda_host_alloc}, i.e. {@code cudaMallocHost}) for the CUDA backend's
 * per-thread staging: the host-to-device and device-to-host copies of a Java-array call then run as DMA transfers
 * on the call's stream, where pageable memory would first be copied by the driver into a bounce buffer. When the
 * runtime refuses (pinned memory is a limited resource), the buffer comes from ordinary memory instead, which is
 * slower but correct; the first refusal is logged once. Buffers are freed by {@code cudaFreeHost} when closed, or by
 * JavaCPP's deallocator after they became unreachable (the staging thread ended).
 */
final class PinnedStagingMemory implements StagingMemory {
    /** The two native calls, replaceable in tests (this machine has no GPU). */
    interface HostAllocator {
        /** Status of {@code h4j_cuda_host_alloc(bytes, out)}; on success {@code out.get(0)} is the memory. */
        int alloc(long bytes, PointerPointer<Pointer> out);

        /** Status of {@code h4j_cuda_host_free(ptr)}. */
        int free(Pointer ptr);
    }

    static final HostAllocator CUDA = new HostAllocator() {
        @Override
        public int alloc(long bytes, PointerPointer<Pointer> out) {
            return NativeLibrary.h4j_cuda_host_alloc(bytes, out);
        }

        @Override
        public int free(Pointer ptr) {
            return NativeLibrary.h4j_cuda_host_free(ptr);
        }
    };

    private static final System.Logger LOG = System.getLogger("dev.hungarian4j");

    private final HostAllocator allocator;
    private volatile boolean refusalLogged;

    PinnedStagingMemory(HostAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public FloatPointer allocate(long n) {
        try (PointerPointer<Pointer> out = new PointerPointer<>(1L)) {
            int status = allocator.alloc(n * Float.BYTES, out);
            Pointer raw = status == NativeStatus.OK ? out.get(0) : null;
            if (raw != null && !raw.isNull()) {
                return new PinnedFloats(raw, n, allocator);
            }
            if (!refusalLogged) {
                refusalLogged = true;
                LOG.log(System.Logger.Level.INFO, "pinned staging memory of " + n * Float.BYTES
                        + " bytes refused (status " + status + ": " + NativeLibrary.h4j_last_error()
                        + "); the CUDA backend stages Java arrays in ordinary memory (slower copies)");
            }
        }
        return ORDINARY.allocate(n);
    }

    /** A view of pinned memory that frees it with {@code h4j_cuda_host_free} when closed or collected. */
    static final class PinnedFloats extends FloatPointer {
        PinnedFloats(Pointer raw, long n, HostAllocator allocator) {
            super(raw);
            capacity(n);
            limit(n);
            // the deallocator holds the raw pointer only, not this object, so that this object can be collected
            deallocator(() -> allocator.free(raw));
        }
    }
}
