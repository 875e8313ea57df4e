package dev.hungarian4j.cli;

import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;

/**
 * A validated input document: the batch and the configuration (defaults where {@code config} or a key of it is
 * absent).
 *
 * @param batch  predictions and targets, checked against each other
 * @param config the cost and loss configuration
 */
public record ParsedInput(Batch batch, HungarianConfig config) {
}
