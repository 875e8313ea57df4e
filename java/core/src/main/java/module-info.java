/**
 * hungarian4j: the DETR Hungarian loss for the JVM. The API is {@link dev.hungarian4j}; the zero-copy native
 * and device entry points ({@link dev.hungarian4j.natives.NativeBufferLoss},
 * {@link dev.hungarian4j.natives.CudaDeviceLoss}) take JavaCPP pointers, so JavaCPP is required transitively.
 * The pure-Java kernels ({@code dev.hungarian4j.jvm}) stay internal.
 */
module dev.hungarian4j {
    requires transitive org.bytedeco.javacpp;
    // InPlaceArrays asks which garbage collector runs (JNI arrays in place only under G1 on JDK 22+)
    requires java.management;

    exports dev.hungarian4j;
    exports dev.hungarian4j.natives;
    exports dev.hungarian4j.spi;

    // JavaCPP's Loader reads the binding class's annotations and initializes it reflectively
    opens dev.hungarian4j.natives to org.bytedeco.javacpp;
}
