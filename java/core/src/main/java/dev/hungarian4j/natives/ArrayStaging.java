package dev.hungarian4j.natives;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Per-thread native buffers through which the large float arrays of a native call travel (logits, boxes, their
 * gradients, cost blocks): one copy in and one copy out, into direct memory that stays allocated and mapped from
 * call to call. Buffers grow to the largest call seen on the thread and are freed with it (their cleaners run once
 * the thread and its {@link ThreadLocal} are gone).
 *
 * <p>The copies are {@link FloatBuffer} bulk puts and gets on direct buffers, done by the JVM itself: no JNI call,
 * and in particular no JNI critical region. Why not the alternatives, measured on JDK 17: JNI's default array
 * passing mallocs, copies in and copies back every array on every call (on fresh pages: ~1.9 ms of the 2.4 ms of a
 * 64x100x91x20 forward call); JNI critical regions (JavaCPP's {@code @CriticalRegion}, and its own
 * {@code FloatPointer.put(float[])}) hold off the garbage collector, and on G1 that starved allocating threads into
 * {@code OutOfMemoryError} ("Retried waiting for GCLocker too often") in a stress test with three calling and three
 * allocating threads. Staging costs two memcpys (~40 µs each for 2.4 MB here) and never blocks the GC.
 */
final class ArrayStaging {
    /** Slot of the logits or of the cost blocks given to a matcher. */
    static final int LOGITS = 0;
    /** Slot of the predicted boxes. */
    static final int BOXES = 1;
    /** Slot of the logits' gradient, or of the cost blocks written by a cost kernel. */
    static final int GRAD_LOGITS = 2;
    /** Slot of the boxes' gradient. */
    static final int GRAD_BOXES = 3;

    private static final ThreadLocal<ArrayStaging> CURRENT = ThreadLocal.withInitial(ArrayStaging::new);

    private final FloatBuffer[] buffers = new FloatBuffer[4];
    private final FloatPointer[] pointers = new FloatPointer[4];

    private ArrayStaging() {
    }

    /** The calling thread's buffers. */
    static ArrayStaging current() {
        return CURRENT.get();
    }

    /** The slot's buffer holding a copy of {@code a[0, n)}. */
    FloatPointer in(int slot, float[] a, int n) {
        FloatPointer p = ensure(slot, n);
        FloatBuffer b = buffers[slot];
        b.clear();
        b.put(a, 0, n);
        return p;
    }

    /** The slot's buffer with room for {@code n} outputs, or null when the caller wants none ({@code a == null}). */
    FloatPointer out(int slot, float[] a, int n) {
        return a == null ? null : ensure(slot, n);
    }

    /** Copies {@code n} outputs from the slot's buffer into {@code a}, unless {@code a} is null. */
    void copyOut(int slot, float[] a, int n) {
        if (a != null) {
            FloatBuffer b = buffers[slot];
            b.clear();
            b.get(a, 0, n);
        }
    }

    private FloatPointer ensure(int slot, int n) {
        FloatBuffer b = buffers[slot];
        if (b == null || b.capacity() < n) {
            if (pointers[slot] != null) {
                pointers[slot].close(); // the wrapper only: the memory belongs to the buffer, freed by its cleaner
            }
            b = ByteBuffer.allocateDirect(Math.max(1, n) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            buffers[slot] = b;
            pointers[slot] = new FloatPointer(b);
        }
        return pointers[slot];
    }
}
