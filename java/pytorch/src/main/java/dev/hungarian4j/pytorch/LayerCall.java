package dev.hungarian4j.pytorch;

/**
 * One decoder layer's criterion call in the device-pointer convention: the shape, the bound on M_b, and the addresses
 * of the inputs and outputs in the memory of the predictions' device (host addresses for the CPU twin). Filled and
 * reused by {@link DeviceRoute} for every layer. Outputs: terms (5 doubles: ce, bbox, giou, total, num_boxes), the
 * assignment (B*Q ints) and the two gradients.
 */
final class LayerCall {
    int batch;
    int queries;
    int numLogits;
    int maxM;
    long logits;
    long boxes;
    long offsets;
    long labels;
    long targetBoxes;
    long terms;
    long assign;
    long gradLogits;
    long gradBoxes;
}
