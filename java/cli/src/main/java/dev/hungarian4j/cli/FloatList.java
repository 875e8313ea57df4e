package dev.hungarian4j.cli;

import dev.hungarian4j.InvalidInputException;

import java.util.Arrays;

/** A growable {@code float} buffer: the streaming reader appends numbers without boxing them. */
final class FloatList {
    private static final int MAX = Integer.MAX_VALUE - 16;
    private float[] data;
    private int size;
    private final String field;

    /** @param field the input field being collected, named when it grows beyond what an array can hold */
    FloatList(String field) {
        this.field = field;
        this.data = new float[64];
    }

    /** Appends one value. */
    void add(float v) {
        if (size == data.length) {
            grow();
        }
        data[size++] = v;
    }

    /** Number of values appended. */
    int size() {
        return size;
    }

    /** A trimmed copy (or the buffer itself when it is exactly full). */
    float[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }

    private void grow() {
        if (data.length >= MAX) {
            throw new InvalidInputException(field, "holds more than " + MAX + " numbers; too large");
        }
        data = Arrays.copyOf(data, (int) Math.min(MAX, data.length * 2L));
    }
}
