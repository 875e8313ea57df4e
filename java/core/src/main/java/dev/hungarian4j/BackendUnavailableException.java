package dev.hungarian4j;

/** An explicitly requested backend (or matcher) cannot run here; the message says why. Never a silent fallback. */
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the backend cannot be used
     */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
