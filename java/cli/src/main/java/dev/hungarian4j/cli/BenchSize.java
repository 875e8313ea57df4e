package dev.hungarian4j.cli;

import dev.hungarian4j.InvalidInputException;

/**
 * One benchmark problem size: B images, Q queries, K classes, M targets per image.
 *
 * @param batch   B &gt;= 1
 * @param queries Q &gt;= 1
 * @param classes K &gt;= 1
 * @param targets M &gt;= 0
 */
record BenchSize(int batch, int queries, int classes, int targets) {
    /** Validates the size, naming {@code field} when it is out of range. */
    BenchSize validate(String field) {
        check(field, "B", batch, 1);
        check(field, "Q", queries, 1);
        check(field, "K", classes, 1);
        check(field, "M", targets, 0);
        long logits = (long) batch * queries * (classes + 1);
        if (logits > Integer.MAX_VALUE / 2 || (long) queries * batch * targets > Integer.MAX_VALUE / 2) {
            throw new InvalidInputException(field, "is " + this + "; too large");
        }
        return this;
    }

    /**
     * Parses {@code BxQxKxM}, e.g. {@code 8x100x91x10}.
     *
     * @param s     the text
     * @param field the option and index for messages, e.g. {@code --sizes[1]}
     */
    static BenchSize parse(String s, String field) {
        String[] p = s.trim().split("x", -1);
        if (p.length != 4) {
            throw new InvalidInputException(field, "is " + Messages.quote(s) + "; expected BxQxKxM, e.g. 8x100x91x10");
        }
        int[] v = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException(field, "is " + Messages.quote(s)
                        + "; expected four integers BxQxKxM, e.g. 8x100x91x10");
            }
        }
        return new BenchSize(v[0], v[1], v[2], v[3]).validate(field);
    }

    private static void check(String field, String name, int v, int min) {
        if (v < min) {
            throw new InvalidInputException(field, "has " + name + " = " + v + "; must be >= " + min);
        }
    }

    @Override
    public String toString() {
        return batch + "x" + queries + "x" + classes + "x" + targets;
    }
}
