package dev.hungarian4j;

/** A failure inside a backend that is not the caller's input (a native status code, a CUDA error). */
public class HungarianException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /** @param status the native status code (0 when not native); @param message what failed */
    public HungarianException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The native status code, or 0. */
    public int status() {
        return status;
    }
}
