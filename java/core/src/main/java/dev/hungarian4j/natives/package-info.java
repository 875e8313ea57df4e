/**
 * The native backends through JavaCPP: the C++ CPU library ({@link dev.hungarian4j.natives.NativeBackend}), the
 * CUDA kernels ({@link dev.hungarian4j.natives.CudaBackend}), and zero-copy entry points on off-heap host memory
 * ({@link dev.hungarian4j.natives.NativeBufferLoss}) and on device memory
 * ({@link dev.hungarian4j.natives.CudaDeviceLoss}). The native library is loaded at most once per JVM; when it
 * cannot be, these backends report themselves unavailable instead of throwing {@link UnsatisfiedLinkError}.
 */
package dev.hungarian4j.natives;
