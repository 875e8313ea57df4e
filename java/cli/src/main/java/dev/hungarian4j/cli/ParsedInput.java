package dev.hungarian4j.cli;

import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;

/**
 * A validated input document: the batch and the configuration (defaults where {@code config} or a key of it is
 * absent).
 *
 * @param batch     predictions (with the aux layers of {@code aux_outputs}) and targets, checked against each other
 * @param config    the cost and loss configuration
 * @param auxGiven  whether the input had an {@code aux_outputs} key (even an empty list): the output then has the
 *                  aux fields
 */
public record ParsedInput(Batch batch, HungarianConfig config, boolean auxGiven) {
    /**
     * An input without {@code aux_outputs}.
     *
     * @param batch  predictions and targets, checked against each other
     * @param config the cost and loss configuration
     */
    public ParsedInput(Batch batch, HungarianConfig config) {
        this(batch, config, false);
    }
}
