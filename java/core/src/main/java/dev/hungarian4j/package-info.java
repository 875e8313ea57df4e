/**
 * The public API of hungarian4j, the DETR Hungarian loss for the JVM: {@link dev.hungarian4j.HungarianLoss}
 * computes the matching costs, an optimal matching per image, the loss and its gradients for a
 * {@link dev.hungarian4j.Batch} of {@link dev.hungarian4j.Predictions} and {@link dev.hungarian4j.Targets},
 * configured by {@link dev.hungarian4j.HungarianConfig} and run on a backend chosen by
 * {@link dev.hungarian4j.Backends}. All arrays are flat, row-major float32 (contract.md §1); bad input throws
 * {@link dev.hungarian4j.InvalidInputException} naming the field and its indices.
 */
package dev.hungarian4j;
