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

    static FloatPointer floats(String name, FloatBuffer b, boolean output) {
        check(name, b, b == null ? null : b.order(), output);
        return new FloatPointer(b.slice());
    }

    static IntPointer ints(String name, IntBuffer b, boolean output) {
        check(name, b, b == null ? null : b.order(), output);
        return new IntPointer(b.slice());
    }

    static DoublePointer doubles(String name, DoubleBuffer b, boolean output) {
        check(name, b, b == null ? null : b.order(), output);
        return new DoublePointer(b.slice());
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
     * to its limit when it knows one (limit 0: trusted, as for memory a C++ engine hands over).
     */
    static void require(String name, Pointer p, long needed) {
        if (p == null || p.isNull()) {
            throw new InvalidInputException(name, "is null");
        }
        long pos = p.position();
        if (pos < 0) {
            throw new InvalidInputException(name, "has position " + pos + "; must be >= 0");
        }
        if (p.limit() > 0 && p.limit() - pos < needed) {
            throw new InvalidInputException(name, "has " + Math.max(0, p.limit() - pos) + " elements from position "
                    + pos + "; needs " + needed);
        }
    }
}
