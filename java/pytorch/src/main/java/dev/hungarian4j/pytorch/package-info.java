/**
 * DETR's Hungarian loss on libtorch tensors from Java (the JavaCPP presets {@code org.bytedeco.pytorch}): CPU
 * tensors read in place by the native backend, CUDA tensors through the device-pointer API on a caller-given CUDA
 * stream, gradients handed to libtorch's autograd. Entry point: {@link dev.hungarian4j.pytorch.TorchHungarianLoss}.
 */
package dev.hungarian4j.pytorch;
