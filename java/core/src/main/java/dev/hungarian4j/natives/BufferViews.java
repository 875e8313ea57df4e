package dev.hungarian4j.natives;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.Buffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * Turns a caller's NIO buffer into a JavaCPP pointer over exactly its {@code position..limit} region, refusing what
 * the native side would misread: heap buffers, a byte order other than the platform's, read-only outputs. And
 * checks a pointer's position and room at call time. Why the slice: JavaCPP's {@code new FloatPointer(FloatBuffer)}
 * starts at the buffer's address, not at its position.
 */
final class BufferViews {
    private BufferViews() {
    }

    static {
        // JavaCPP's pointers need the natives (they live in this library): a BufferBatch built before any loss
        // once failed here with "No native JavaCPP library in memory", and this class stayed unusable in that JVM
        NativeBackend.instance();
    }

    /*
     * Stand-ins for an empty region. JavaCPP gives the pointer of an empty buffer limit 0, the mark of a pointer
     * whose size is unknown and trusted: the native side then read B*Q*C floats past the buffer (a Jazzer crash).
     * require() knows these by identity as regions of 0 elements; nothing ever reads or writes them.
     */
    private static final FloatPointer EMPTY_FLOATS = new FloatPointer(1L);
    private static final IntPointer EMPTY_INTS = new IntPointer(1L);
    private static final DoublePointer EMPTY_DOUBLES = new DoublePointer(1L);

    static FloatPointer floats(String name, FloatBuffer b, boolean output) {
        check(name, b, b == null ? null : b.order(), output);
        return b.hasRemaining() ? new FloatPointer(b.slice()) : EMPTY_FLOATS;
    }

    static IntPointer ints(String name, IntBuffer b, boolean output) {
        check(name, b, b == null ? null : b.order(), output);
        return b.hasRemaining() ? new IntPointer(b.slice()) : EMPTY_INTS;
    }

    static DoublePointer doubles(String name, DoubleBuffer b, boolean output) {
        check(name, b, b == null ? null : b.order(), output);
        return b.hasRemaining() ? new DoublePointer(b.slice()) : EMPTY_DOUBLES;
    }

    private static void check(String name, Buffer b, ByteOrder order, boolean output) {
        if (b == null) {
            throw new InvalidInputException(name, "is null");
        }
        if (!b.isDirect()) {
            throw new InvalidInputException(name, "is a heap buffer; use a direct buffer or the float[] API");
        }
        if (order != ByteOrder.nativeOrder()) {
            throw new InvalidInputException(name, "has byte order " + order + "; the native side reads "
                    + ByteOrder.nativeOrder() + " (use ByteBuffer.order(ByteOrder.nativeOrder()) before the view)");
        }
        if (output && b.isReadOnly()) {
            throw new InvalidInputException(name, "is read-only; an output buffer must be writable");
        }
    }

    /**
     * A pointer with at least {@code needed} elements from its position: not null, position &gt;= 0, and room up
     * to its limit, or to its capacity when its limit is 0. A pointer with neither is trusted, as for memory a C++
     * engine hands over by address; an empty buffer region is a region of 0 elements, never trusted.
     */
    static void require(String name, Pointer p, long needed) {
        if (p == EMPTY_FLOATS || p == EMPTY_INTS || p == EMPTY_DOUBLES) {
            if (needed > 0) {
                throw new InvalidInputException(name, "has 0 elements (an empty buffer region); needs " + needed);
            }
            return;
        }
        if (p == null || p.isNull()) {
            throw new InvalidInputException(name, "is null");
        }
        long pos = p.position();
        if (pos < 0) {
            throw new InvalidInputException(name, "has position " + pos + "; must be >= 0");
        }
        long end = p.limit() > 0 ? p.limit() : p.capacity();
        if (end > 0 && end - pos < needed) {
            throw new InvalidInputException(name, "has " + Math.max(0, end - pos) + " elements from position "
                    + pos + "; needs " + needed);
        }
    }
}
