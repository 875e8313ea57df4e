package dev.hungarian4j.cli;

/**
 * A dense {@code d0 x d1 x d2} float array read from nested JSON arrays, flattened row-major.
 *
 * @param d0   outer length (B)
 * @param d1   middle length (Q)
 * @param d2   inner length (K+1 or 4)
 * @param data {@code d0*d1*d2} values
 */
record Tensor3(int d0, int d1, int d2, float[] data) {
}
