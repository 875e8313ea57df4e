package dev.hungarian4j.pytorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * Host memory a criterion reuses from step to step for the small arrays it stages: the CSR offsets, labels and
 * target boxes, and the assignment. Direct buffers in native order (JavaCPP reads them in place), grown on demand,
 * never shrunk; the JVM owns them, so a caller's {@code PointerScope} never frees them. Not thread-safe.
 */
final class HostStaging {
    IntBuffer offsets = ints(1);
    IntBuffer labels = ints(1);
    FloatBuffer boxes = floats(4);
    IntBuffer assign = ints(1);

    /** Room for B+1 offsets, T labels and 4T box values, the offsets written. */
    void fitTargets(int batch, int total) {
        offsets = fit(offsets, batch + 1);
        labels = fit(labels, Math.max(1, total));
        boxes = fit(boxes, Math.max(4, 4 * total));
    }

    /** Room for n assignment entries. */
    void fitAssign(int n) {
        assign = fit(assign, n);
    }

    private static IntBuffer fit(IntBuffer b, int n) {
        return b.capacity() >= n ? b : ints(Math.max(n, 2 * b.capacity()));
    }

    private static FloatBuffer fit(FloatBuffer b, int n) {
        return b.capacity() >= n ? b : floats(Math.max(n, 2 * b.capacity()));
    }

    private static IntBuffer ints(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
