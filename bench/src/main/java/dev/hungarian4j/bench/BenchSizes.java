package dev.hungarian4j.bench;

/** The DETR-realistic sizes (B, Q, K, M) of the benchmarks, written {@code BxQxKxM}. */
final class BenchSizes {
    private BenchSizes() {
    }

    /** Parses {@code BxQxKxM}. */
    static int[] parse(String s) {
        String[] p = s.split("x");
        if (p.length != 4) {
            throw new IllegalArgumentException("size must be BxQxKxM: " + s);
        }
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            r[i] = Integer.parseInt(p[i]);
        }
        return r;
    }
}
