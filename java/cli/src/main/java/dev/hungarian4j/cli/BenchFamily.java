package dev.hungarian4j.cli;

import dev.hungarian4j.InvalidInputException;

/**
 * The DETR-family options of a benchmark (contract.md §3): L decoder layers (the top one and L-1 aux layers), G
 * query groups, and the focal loss instead of softmax cross-entropy.
 *
 * @param layers L &gt;= 1
 * @param groups G &gt;= 1, dividing Q
 * @param focal  whether the batch has sigmoid logits and the focal loss
 */
record BenchFamily(int layers, int groups, boolean focal) {
    /** Plain DETR: one layer, one group, cross-entropy. */
    static final BenchFamily PLAIN = new BenchFamily(1, 1, false);

    /** Checks the options against a size, naming the option that does not fit. */
    BenchFamily validate(BenchSize size) {
        if (layers < 1) {
            throw new InvalidInputException("--layers", "is " + layers + "; must be >= 1");
        }
        if (groups < 1 || size.queries() % groups != 0) {
            throw new InvalidInputException("--groups", "is " + groups + "; must be >= 1 and divide Q = "
                    + size.queries());
        }
        long logits = (long) layers * size.batch() * size.queries() * (size.classes() + 1);
        if (logits > Integer.MAX_VALUE / 8) {
            throw new InvalidInputException("--layers", "is " + layers + "; " + size + " x " + layers
                    + " layers is too large");
        }
        return this;
    }

    /** Whether any option differs from plain DETR. */
    boolean isPlain() {
        return layers == 1 && groups == 1 && !focal;
    }

    @Override
    public String toString() {
        return isPlain() ? "" : " L" + layers + (groups > 1 ? " G" + groups : "") + (focal ? " focal" : "");
    }
}
