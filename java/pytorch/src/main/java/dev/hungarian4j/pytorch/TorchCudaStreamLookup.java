package dev.hungarian4j.pytorch;

import dev.hungarian4j.InvalidInputException;
import org.bytedeco.javacpp.Pointer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Libtorch's current CUDA stream through the presets: {@code torch_cuda.getCurrentCUDAStream(device).stream()}.
 * Reached by reflection, at the first CUDA call only: {@code org.bytedeco.pytorch.global.torch_cuda} is in the
 * presets' main jar, but its natives load only with their GPU build (and {@code stream()} returns a class of the CUDA
 * presets), so the CPU build must never link against it. Whatever stops the lookup (the class, its natives, the CUDA
 * presets, libtorch itself) becomes one {@link InvalidInputException} naming {@code cudaStream} and saying what to
 * pass; the legacy default stream is never used in silence. Thread-safe.
 */
final class TorchCudaStreamLookup implements CudaStreamLookup {
    /** The presets' class of libtorch's CUDA functions. */
    static final String TORCH_CUDA = "org.bytedeco.pytorch.global.torch_cuda";

    private final String className;
    /** {@code getCurrentCUDAStream(byte)} and {@code CUDAStream.stream()}, once found. */
    private volatile Method[] methods;

    /** The lookup through the presets' {@code torch_cuda}. */
    TorchCudaStreamLookup() {
        this(TORCH_CUDA);
    }

    /** The lookup through another class of the same shape (tests: one that is missing). */
    TorchCudaStreamLookup(String className) {
        this.className = className;
    }

    @Override
    public Pointer current(byte deviceIndex) {
        try {
            Method[] m = methods();
            Object stream = m[0].invoke(null, deviceIndex);
            if (stream == null) {
                throw new IllegalStateException("getCurrentCUDAStream returned null");
            }
            return (Pointer) m[1].invoke(stream);
        } catch (InvocationTargetException e) {
            throw failure(deviceIndex, e.getCause() != null ? e.getCause() : e);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // LinkageError: torch_cuda's static initializer cannot load its natives on the CPU build
            // (UnsatisfiedLinkError, then NoClassDefFoundError), or the CUDA presets are missing
            throw failure(deviceIndex, e);
        }
    }

    private Method[] methods() throws ReflectiveOperationException {
        Method[] m = methods;
        if (m == null) {
            Class<?> torchCuda = Class.forName(className, true, TorchCudaStreamLookup.class.getClassLoader());
            Method current = torchCuda.getMethod("getCurrentCUDAStream", byte.class);
            Method stream = current.getReturnType().getMethod("stream");
            m = new Method[] {current, stream};
            methods = m;
        }
        return m;
    }

    /** The one failure: which device, why, and what to pass instead. */
    static InvalidInputException failure(byte deviceIndex, Throwable cause) {
        String device = deviceIndex < 0 ? "the current CUDA device" : "cuda:" + deviceIndex;
        InvalidInputException e = new InvalidInputException("cudaStream", "was not given for CUDA tensors on "
                + device + ", and libtorch's current CUDA stream could not be obtained through " + TORCH_CUDA
                + ".getCurrentCUDAStream (" + describe(cause) + "; it needs the presets' GPU build and the CUDA presets). Pass the stream explicitly: "
                + "forward(..., torch_cuda.getCurrentCUDAStream((byte) " + Math.max(deviceIndex, 0)
                + ").stream()), or new Pointer() for CUDA's legacy default stream");
        e.initCause(cause);
        return e;
    }

    /** The failure and, for a failed static initializer (whose own message is empty), what failed in it. */
    private static String describe(Throwable t) {
        String s = t.getClass().getName() + ": " + t.getMessage();
        Throwable inner = t.getCause();
        boolean initializer = t instanceof ExceptionInInitializerError && inner != null;
        return initializer ? s + ", caused by " + describe(inner) : s;
    }
}
