package dev.hungarian4j.cli;

import dev.hungarian4j.InvalidInputException;

import java.util.Arrays;

/** A growable {@code int} buffer (labels, CSR offsets). */
final class IntList {
    private static final int MAX = Integer.MAX_VALUE - 16;
    private int[] data;
    private int size;
    private final String field;

    /** @param field the input field being collected, named when it grows beyond what an array can hold */
    IntList(String field) {
        this.field = field;
        this.data = new int[16];
    }

    /** Appends one value. */
    void add(int v) {
        if (size == data.length) {
            if (data.length >= MAX) {
                throw new InvalidInputException(field, "holds more than " + MAX + " numbers; too large");
            }
            data = Arrays.copyOf(data, (int) Math.min(MAX, data.length * 2L));
        }
        data[size++] = v;
    }

    /** Number of values appended. */
    int size() {
        return size;
    }

    /** A trimmed copy. */
    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
