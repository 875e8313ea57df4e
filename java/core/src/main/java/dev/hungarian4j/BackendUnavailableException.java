package dev.hungarian4j;

/**
 * An explicitly requested backend (or matcher) cannot run here; the message says why. Never a silent fallback.
 * A {@link HungarianException} with status 0, so one handler catches every failure that is not bad input.
 */
public class BackendUnavailableException extends HungarianException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the backend cannot be used
     */
    public BackendUnavailableException(String message) {
        super(0, message);
    }
}
