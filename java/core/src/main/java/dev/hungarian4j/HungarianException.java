package dev.hungarian4j;

/** A failure inside a backend that is not the caller's input (a native status code, a CUDA error). */
public class HungarianException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The native status code, or 0 when the failure did not come from a native call. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param status  the native status code (0 when not native)
     * @param message what failed
     */
    public HungarianException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * The native status code, or 0.
     *
     * @return the {@code H4J_ERR_*} code of hungarian4j.h (e.g. 4 for a CUDA error), or 0 when not native
     */
    public int status() {
        return status;
    }
}
