/**
 * The DETR Hungarian loss for DJL: {@link dev.hungarian4j.djl.HungarianDetrLoss} is a DJL
 * {@code ai.djl.training.loss.Loss} that reads the predictions' tensors in place, runs the library's native
 * criterion in one call and hands the gradients to DJL's autograd; its terms are published as evaluators.
 */
package dev.hungarian4j.djl;
