package dev.hungarian4j.djl;

import dev.hungarian4j.LossTerms;

/** A term of the Hungarian loss, as published by {@link LossTermEvaluator}. */
public enum LossTerm {
    /** The weighted cross-entropy with the down-weighted no-object class. */
    CE,
    /** The L1 distance of matched boxes. */
    BBOX,
    /** {@code 1 - GIoU} of matched boxes. */
    GIOU;

    /**
     * This term's value.
     *
     * @param terms the loss terms
     * @return the value of this term in {@code terms}
     */
    public double of(LossTerms terms) {
        switch (this) {
            case CE:
                return terms.ce();
            case BBOX:
                return terms.bbox();
            case GIOU:
            default:
                return terms.giou();
        }
    }
}
