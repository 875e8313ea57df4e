package dev.hungarian4j.pytorch;

/**
 * The criterion call of L stacked decoder layers in the device-pointer convention: the number of layers, the shape
 * of one layer, the bound on M_b, and the addresses of the inputs and outputs in the memory of the predictions' device
 * (host addresses for the CPU twin), each at layer 0 of its stack. Filled and reused by {@link DeviceRoute}. Inputs:
 * logits {@code L*B*Q*C} and boxes {@code L*B*Q*4} floats, layer 0 first; targets shared by every layer. Outputs, layer
 * 0 first: terms (5 doubles per layer: ce, bbox, giou, total, num_boxes), the assignment ({@code B*Q} ints per layer)
 * and the two gradients.
 */
final class LayerCall {
    int layers;
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
