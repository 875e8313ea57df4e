package dev.hungarian4j.natives;

import org.bytedeco.javacpp.FloatPointer;

/**
 * Where {@link ArrayStaging} takes its per-thread buffers from: ordinary native memory for the CPU backend,
 * page-locked memory for the CUDA backend ({@link PinnedStagingMemory}). A buffer is freed by
 * {@link FloatPointer#close()}, or by JavaCPP's deallocator once it is unreachable (after its thread ended).
 */
interface StagingMemory {
    /** Ordinary native memory (malloc through JavaCPP). */
    StagingMemory ORDINARY = StagingMemory::ordinary;

    /** A buffer of {@code n >= 1} floats, limit and capacity {@code n}; its contents are undefined. */
    FloatPointer allocate(long n);

    private static FloatPointer ordinary(long n) {
        try {
            return new FloatPointer(n);
        } catch (OutOfMemoryError e) {
            OutOfMemoryError advice = new OutOfMemoryError("cannot allocate " + n * Float.BYTES
                    + " bytes of native staging memory (" + e.getMessage() + "); JavaCPP caps it with "
                    + "-Dorg.bytedeco.javacpp.maxBytes (default: -Xmx), or pass off-heap memory to NativeBufferLoss");
            advice.initCause(e);
            throw advice;
        }
    }
}
