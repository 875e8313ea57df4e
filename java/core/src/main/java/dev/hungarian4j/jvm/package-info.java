/**
 * The pure-Java compute kernels of hungarian4j: pairwise DETR matching costs, the exact
 * scipy-compatible linear sum assignment, and the DETR loss with its gradients, all on the flat
 * row-major float32 layout shared with the native backends (contract.md §1).
 */
package dev.hungarian4j.jvm;
